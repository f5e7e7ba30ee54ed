"""HMIS CSV export (FY2026) of a CoC, agency or project scope and a date range, restricted.

Rows stream from the database into the zip file by file (``iterator()``), never a whole table in
memory. Values are written back the way the importer read them: dates ``yyyy-mm-dd``, timestamps
``yyyy-mm-dd hh:mm:ss`` in the CoC's local time, codes as integers, the SSN decrypted, so an
import followed by an export gives back the same rows and values. Clients whose identifying
information the user may not see are exported with blank names, SSN and DOB; every client whose
PII is exported gets an access-log row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone

from hmis import pii
from hmis.access import log_pii_views, pii_clients
from hmis.models import HUD_MODELS, Client, Enrollment, Project

CSV_VERSION = "2026 v1.0"
PII_FIELDS = {"first_name", "middle_name", "last_name", "name_suffix", "dob"}
PROJECT_LEVEL = {
    "Funder",
    "ProjectCoC",
    "Inventory",
    "HMISParticipation",
    "CEParticipation",
    "Affiliation",
}


@dataclass
class Scope:
    """What to export: a CoC, optionally one agency or one hmis project, and a date range."""

    coc: object
    agency: object | None = None
    project: Project | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    source: object | None = None


def enrollments_in(user, scope: Scope) -> models.QuerySet:
    qs = Enrollment.objects.restrict(user).filter(coc=scope.coc)
    if scope.source:
        qs = qs.filter(source=scope.source)
    if scope.agency:
        qs = qs.filter(agency=scope.agency)
    if scope.project:
        qs = qs.filter(project=scope.project)
    if scope.end:
        qs = qs.filter(entry_date__lte=scope.end)
    if scope.start:
        # Active in the range: no exit, or an exit on or after its start.
        qs = qs.filter(models.Q(exit__isnull=True) | models.Q(exit__exit_date__gte=scope.start))
    return qs


def projects_in(user, scope: Scope) -> models.QuerySet:
    qs = Project.objects.restrict(user).filter(coc=scope.coc)
    if scope.source:
        qs = qs.filter(source=scope.source)
    if scope.agency:
        qs = qs.filter(agency=scope.agency)
    if scope.project:
        qs = qs.filter(pk=scope.project.pk)
    return qs


def querysets(user, scope: Scope) -> dict[str, models.QuerySet]:
    enrollments = enrollments_in(user, scope)
    projects = projects_in(user, scope)
    out: dict[str, models.QuerySet] = {}
    for file, model in HUD_MODELS.items():
        manager = model.objects
        if file == "Export":
            continue
        if file == "Organization":
            qs = manager.restrict(user).filter(pk__in=projects.values("organization_id"))
        elif file == "User":
            qs = manager.restrict(user).filter(coc=scope.coc)
            if scope.source:
                qs = qs.filter(source=scope.source)
        elif file == "Project":
            qs = projects
        elif file in PROJECT_LEVEL:
            qs = manager.restrict(user).filter(project__in=projects.values("pk"))
        elif file == "Client":
            qs = manager.restrict(user).filter(pk__in=enrollments.values("client_id"))
        elif file == "Enrollment":
            qs = enrollments
        else:
            qs = manager.restrict(user).filter(enrollment__in=enrollments.values("pk"))
        out[file] = qs.order_by("pk")
    return out


def text(value, tz) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def export_zip(user, scope: Scope, out, where: str = "export") -> dict[str, int]:
    """Write the FY2026 zip of ``scope`` to the binary file ``out``; returns rows per file."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    counts: dict[str, int] = {}
    sets = querysets(user, scope)
    pii_ids = set(pii_clients(user).values_list("pk", flat=True))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for file, model in HUD_MODELS.items():
            columns = [c for c, _ in model.HUD_COLUMNS]
            fields = [f for _, f in model.HUD_COLUMNS]
            with archive.open(f"{file}.csv", "w", force_zip64=True) as raw:
                handle = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
                writer.writerow(columns)
                if file == "Export":
                    writer.writerow(export_row(scope, tz))
                    counts[file] = 1
                    handle.flush()
                    handle.detach()
                    continue
                n = 0
                logged: list = []
                for obj in sets[file].iterator(chunk_size=2000):
                    visible = model is not Client or obj.pk in pii_ids
                    row = []
                    for name in fields:
                        if name == "ssn":
                            row.append(pii.decrypt(obj.ssn_encrypted) if visible else "")
                        elif model is Client and name in PII_FIELDS and not visible:
                            row.append("")
                        else:
                            row.append(text(getattr(obj, name), tz))
                    writer.writerow(row)
                    n += 1
                    if model is Client and visible:
                        logged.append(obj)
                        if len(logged) >= 2000:
                            log_pii_views(user, logged, where)
                            logged = []
                if logged:
                    log_pii_views(user, logged, where)
                counts[file] = n
                handle.flush()
                handle.detach()
    return counts


def export_row(scope: Scope, tz) -> list[str]:
    now = timezone.now().astimezone(tz)
    start = scope.start or dt.date(1900, 1, 1)
    end = scope.end or now.date()
    return [
        f"{scope.coc.code}-{now:%Y%m%d%H%M%S}"[:32],  # ExportID
        "3",  # SourceType: data warehouse
        scope.coc.code,  # SourceID
        "HMIS Governance",  # SourceName
        "",
        "",
        "",
        "",
        "",
        now.strftime("%Y-%m-%d %H:%M:%S"),
        start.isoformat(),
        end.isoformat(),
        "HMIS Governance",
        "1.0",
        CSV_VERSION,
        "3",  # ExportPeriodType: reporting period
        "2",  # ExportDirective: full refresh
        "1",  # HashStatus: unhashed
        scope.coc.code,  # ImplementationID
    ]
