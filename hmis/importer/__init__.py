"""Import of HUD HMIS CSV exports (FY2026, and FY2024 mapped to FY2026).

Public entry points:

- :func:`import_export` — synchronous: store the zip, create an :class:`~hmis.models.ImportRun`,
  run it now, return it (status ``succeeded`` or ``failed`` with ``errors``/``warnings``).
  Used by the demo loader, the synthetic-data generator's checks and tests.
- :func:`queue_import` — the same, but queued for Celery (the upload page and the API).
- :func:`hmis.importer.runner.run_import` — runs a queued run (the Celery task).
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from agencies.models import ContinuumOfCare
from hmis.models import ImportRun, Source

from .runner import run_import

UPLOAD_DIR = "hmis-imports"


def resolve_source(coc: ContinuumOfCare | str, source: Source | str) -> tuple:
    if isinstance(coc, str):
        coc = ContinuumOfCare.objects.get(code=coc)
    if isinstance(source, str):
        source, _ = Source.objects.get_or_create(coc=coc, key=source, defaults={"name": source})
    if source.coc_id != coc.pk:
        raise ValueError(f"Source {source} belongs to another CoC than {coc}.")
    return coc, source


def store(upload: str | Path | BinaryIO, name: str = "") -> tuple[str, str, int]:
    """Copy the upload under PRIVATE_MEDIA_ROOT; returns (relative path, name, size)."""
    relative = f"{UPLOAD_DIR}/{uuid.uuid4().hex}.zip"
    target = Path(settings.PRIVATE_MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(upload, str | Path):
        name = name or Path(upload).name
        shutil.copyfile(upload, target)
    else:
        name = name or getattr(upload, "name", "") or "upload.zip"
        with target.open("wb") as out:
            if hasattr(upload, "chunks"):
                for chunk in upload.chunks():
                    out.write(chunk)
            else:
                shutil.copyfileobj(upload, out, 1024 * 1024)
    return relative, Path(name).name, target.stat().st_size


def create_run(upload, coc, source, user=None, name: str = "") -> ImportRun:
    coc, source = resolve_source(coc, source)
    relative, name, size = store(upload, name)
    return ImportRun.objects.create(
        coc=coc, source=source, file=relative, original_name=name, size=size, created_by=user
    )


def import_export(
    path_or_file: str | Path | BinaryIO,
    coc: ContinuumOfCare | str,
    source: Source | str,
    user=None,
) -> ImportRun:
    """Import an HMIS CSV zip into ``source`` of ``coc`` now, and return the finished run.

    ``coc`` is a ContinuumOfCare or its code ("XX-500"); ``source`` a Source of that CoC or a
    key (created when missing). A full export replaces the source's records atomically, a delta
    export (ExportPeriodType 1 or ExportDirective 1) updates them by DateUpdated; other sources
    are never touched. On any error nothing is written: ``run.status == "failed"`` and
    ``run.errors`` lists each problem as ``{file, line, column, value, message}``.
    """
    run = create_run(path_or_file, coc, source, user)
    return run_import(run.pk)


def queue_import(upload, coc, source, user=None, name: str = "") -> ImportRun:
    """Store the upload and queue the import on Celery; returns the queued run."""
    from hmis.tasks import run_import_task
    from hmis_gov.runs import send

    run = create_run(upload, coc, source, user, name)
    send(run_import_task, run.pk)
    return run


__all__ = ["import_export", "queue_import", "run_import"]
