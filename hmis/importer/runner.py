"""Running one import: claim the run, read the zip, check, write, record the outcome."""

from __future__ import annotations

import csv
import io
import logging
import traceback

from django.db import connection, transaction
from django.utils import timezone

from hmis.matching import find_candidates
from hmis.models import HUD_MODELS, ImportRun
from hmis.spec import SUPPORTED_VERSIONS, version_of
from hmis_gov.listcache import tables_changed
from hmis_gov.runs import claimed

from . import staging
from .archive import open_archive
from .problems import Problems
from .reader import FileReader

log = logging.getLogger(__name__)

EXPECTED = {f"{name}.csv" for name in HUD_MODELS}
HASHED = {2, 3, 4}
DELTA_PERIOD = 1  # ExportPeriodType 1 "Updated"
DELTA_DIRECTIVE = 1  # ExportDirective 1 "Delta refresh"


class Stop(Exception):
    """The import cannot go on; the problems say why."""


def progress(run: ImportRun, file: str, stage: str, rows: int | None = None) -> None:
    entry = {"stage": stage}
    if rows is not None:
        entry["rows"] = rows
    run.progress[file] = entry
    ImportRun.objects.filter(pk=run.pk).update(progress=run.progress)


def read_export_row(archive, problems: Problems) -> dict | None:
    """The first data row of Export.csv by (case-folded) column name."""
    info = archive.members.get("Export.csv")
    if info is None:
        return None
    with archive.zip.open(info) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        rows = csv.reader(text)
        header = [h.strip().lower() for h in next(rows, [])]
        data = [r for r in rows if r and r != [""]]
    if not data:
        return None
    if len(data) > 1:
        problems.warning(
            "Export.csv",
            3,
            "",
            "",
            f"Export.csv has {len(data)} rows; HUD expects one. The first row describes the "
            "export.",
        )
    return dict(zip(header, data[0], strict=False))


def execute(run: ImportRun) -> None:
    problems = Problems()
    notes: list[str] = []
    sink = None
    try:
        archive = open_archive(run.file_path, run.size, problems, EXPECTED)
        if archive is None:
            raise Stop
        missing = sorted(EXPECTED - set(archive.members))
        for name in missing:
            problems.error(
                name,
                None,
                "",
                "",
                f"{name} is missing: an HMIS CSV export holds all {len(EXPECTED)} files, "
                "with only a header row when a file has no records.",
            )
        export = read_export_row(archive, problems) if "Export.csv" in archive.members else None
        if "Export.csv" in archive.members and export is None:
            problems.error("Export.csv", 2, "", "", "Export.csv has no data row.")
        if problems.has_errors:
            raise Stop
        raw_version = (export.get("csvversion") or "").strip()
        version = version_of(raw_version)
        run.csv_version = raw_version
        if version not in SUPPORTED_VERSIONS:
            problems.error(
                "Export.csv",
                2,
                "CSVVersion",
                raw_version,
                f"Unsupported CSVVersion {raw_version!r}: this system reads FY2026 "
                '("2026 v1.x") and FY2024 ("2024 v1.x") HMIS CSV exports. Export again in '
                "the FY2026 format.",
            )
            raise Stop
        if version == "2024":
            notes.append(
                "FY2024 export (CSVVersion "
                f"{raw_version!r}): columns were mapped to FY2026 — HispanicLatinaeo to "
                "HispanicLatinao; Client gender columns and Enrollment SexualOrientation, "
                "TranslationNeeded and PreferredLanguage columns were read and not kept; Sex and "
                "MentalHealthConsultation are blank."
            )

        def code(name: str) -> int | None:
            try:
                return int((export.get(name) or "").strip())
            except ValueError:
                return None

        run.export_period_type = code("exportperiodtype")
        run.export_directive = code("exportdirective")
        run.hash_status = code("hashstatus")
        hashed = run.hash_status in HASHED
        delta = run.export_period_type == DELTA_PERIOD or run.export_directive == DELTA_DIRECTIVE
        if hashed:
            notes.append(
                f"Hashed export (HashStatus {run.hash_status}): names and SSN are stored as "
                "exported (hashes), encrypted where they are SSNs."
            )
        notes.append(
            "Delta export: records updated by DateUpdated."
            if delta
            else "Full export: replaces this source's records."
        )
        ImportRun.objects.filter(pk=run.pk).update(
            csv_version=run.csv_version,
            export_period_type=run.export_period_type,
            export_directive=run.export_directive,
            hash_status=run.hash_status,
        )

        sink = staging.Sink(hashed)
        staged: set[str] = set()
        counts: dict[str, int] = {}
        for file, model in HUD_MODELS.items():
            name = f"{file}.csv"
            progress(run, name, "reading")
            reader = FileReader(file, version, model, problems, hashed=hashed, notes=notes)
            member = archive.members[name]
            with archive.zip.open(member) as stream:
                rows = reader.read(stream, sink, reopen=lambda m=member: archive.zip.open(m))
            if sink.model is model:
                sink.end()
                staged.add(file)
            counts[file] = rows
            progress(run, name, "read", rows)
        if problems.has_errors:
            raise Stop
        staging.check(problems, run.source, staged, delta)
        if problems.has_errors:
            raise Stop

        with transaction.atomic():
            staging.lock_source(run.source_id)
            staging.immediate_constraints()
            changed = {}
            if not delta:
                for file, model in reversed(HUD_MODELS.items()):
                    changed[file] = staging.delete_missing(model, run.source_id)
            for file, model in HUD_MODELS.items():
                written = staging.upsert(model, file, run.source_id, run.coc_id, delta)
                changed[file] = changed.get(file, 0) + written
                staging.analyze_target(model, file)
                progress(run, f"{file}.csv", "written", counts[file])
            candidates = find_candidates(run.source)
            # Lists count these tables from a cache (hmis_gov.listcache): recount after commit.
            tables_changed()
        notes.append(
            "Rows changed: "
            + (", ".join(f"{f} {n}" for f, n in changed.items() if n) or "none (same data)")
            + f". New client match candidates: {candidates}."
        )
        run.counts = counts
        run.status = ImportRun.Status.SUCCEEDED
    except Stop:
        run.status = ImportRun.Status.FAILED
    except Exception as exc:  # recorded on the run; the traceback goes to the log
        log.exception("Import %s failed", run.pk)
        problems.error("", None, "", "", f"The import stopped on an internal error: {exc!r}.")
        run.status = ImportRun.Status.FAILED
        run.notes = [*notes, traceback.format_exc(limit=3)]
    finally:
        if sink is not None:
            try:
                sink.drop_all()
            except Exception:  # the connection may be broken; temp tables die with it
                connection.close_if_unusable_or_obsolete()
    problems.finish()
    ImportRun.objects.filter(pk=run.pk).update(
        status=run.status,
        counts=run.counts,
        errors=problems.errors,
        warnings=problems.warnings,
        notes=run.notes or notes,
        finished=timezone.now(),
    )


def run_import(run_id: int) -> ImportRun:
    """Run a queued import (the Celery task calls this). A run another live worker holds is
    left alone; one whose worker died is taken over (see ``hmis_gov.runs``)."""
    with claimed(
        ImportRun,
        run_id,
        ImportRun.Status.QUEUED,
        ImportRun.Status.RUNNING,
        started=timezone.now(),
    ) as mine:
        if mine:
            run = ImportRun.objects.select_related("source", "source__agency").get(pk=run_id)
            execute(run)
    return ImportRun.objects.get(pk=run_id)
