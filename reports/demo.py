"""Demo: a PIT draft for XX-500 on the last Wednesday of January, when demo HMIS data exists.

Built synchronously (no worker needed on first login) and idempotent: an existing demo draft is
left as it is.
"""

from __future__ import annotations

from typing import TextIO

from django.db.models import Max

from agencies.models import ContinuumOfCare
from hmis.models import Enrollment

from .builder import build_version
from .models import Report, last_wednesday_of_january

DEMO_NAME = "Demo PIT count"


def load(stdout: TextIO) -> None:
    coc = ContinuumOfCare.objects.filter(code="XX-500").first()
    if coc is None:
        return
    latest = Enrollment.objects.live().filter(coc=coc).aggregate(d=Max("entry_date"))["d"]
    if latest is None:
        stdout.write("reports: no HMIS demo data in XX-500, no PIT draft built.\n")
        return
    if Report.objects.filter(coc=coc, name=DEMO_NAME).exists():
        return
    report = Report.objects.create(
        coc=coc,
        kind=Report.Kind.PIT,
        name=DEMO_NAME,
        night=last_wednesday_of_january(latest.year),
        status=Report.Status.DRAFT,
    )
    report.projects.set(
        coc.agencies.filter(is_active=True)
        .values_list("projects", flat=True)
        .exclude(projects=None)
    )
    version = build_version(report)
    totals = version.api_summary["totals"]
    stdout.write(
        f"reports: PIT draft for {coc.code} on {report.night}: {totals['persons']} persons.\n"
    )
