"""Per-stay flags of the APR rows, each filled by one or a few set-based UPDATEs per version.

Registered in ``reports.apr.derived._steps()``, so they run once after the snapshot; the tables
then test plain ``ReportFact`` columns instead of re-running the same household sub-selects
(correlated ``EXISTS`` over the snapshot) and HMIS sub-selects in every cell:

- ``chronic_status`` (APR Q26b's rows, Glossary "Chronically Homeless" flowchart, REFERENCE
  §4.7): 1 chronically homeless (as ``reports.hud.chronic_expression``: the person, or a CH
  adult/head of the household there at the person's start), 8 client doesn't know / prefers not
  to answer, 99 data not collected (as ``outcomes.chronic_unknown_expression``, DK first), 0
  not chronically homeless;
- ``youth_household`` (spec "Client Types" / Q27 introduction, as Q5a row 13): no member of the
  household (in the universe) is 25 or older and at least one member's age is known;
- ``parenting_youth`` (spec Q27b steps 2-4): a head of household aged 12-24 in a youth
  household with a member who is their child (RelationshipToHoH 2) aged 0-17;
- ``los_days`` (APR Q22a1, Glossary "Length of Participation"): days from the start to the
  exit for leavers, to the day after the report end for stayers; ES night-by-night stays
  (project type 1) their bed nights on or after the start, before the exit, up to the end.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from hmis.models import Services

from ..engine import (
    DaysBetween,
    day,
    facts,
    household_type_sql,
    latest_stay_sql,
    update_by_household,
)
from ..hud import chronic_individual
from .common import UNIVERSE
from .derived import REVISION


def fill_chronic_status(version) -> None:
    """``chronic_status`` in five statements: 0 everywhere (the snapshot writes it,
    ``at_snapshot``: on a new version this one changes nothing); 1 for the chronically homeless
    adults and heads (``reports.hud.chronic_individual``); 1 for every member of a household
    with such a member who entered on or before the member's start (the earliest such start,
    one grouped UPDATE: ``reports.hud.chronic``'s household test); then, among the rest, 99
    and 8 by the flowchart's unanswered elements (DK/PNTA wins, as Q26b's rows)."""
    from .outcomes import chronic_unknown_status

    rows = facts(version, UNIVERSE)
    rows.exclude(chronic_status=0).update(chronic_status=0)
    rows.filter(chronic_individual()).update(chronic_status=1)
    update_by_household(
        version,
        UNIVERSE,
        {"ch_start": "MIN(CASE WHEN chronic_status = 1 THEN entry_date END)"},
        {"chronic_status": "1"},
        where="h.ch_start <= f.entry_date AND f.chronic_status <> 1",
    )
    rows.filter(chronic_unknown_status(dk=False), chronic_status=0).update(chronic_status=99)
    rows.filter(chronic_unknown_status(dk=True), chronic_status__in=[0, 99]).update(
        chronic_status=8
    )


def fill_youth(version) -> None:
    """``youth_household`` and ``parenting_youth`` from the household's ages (one UPDATE)."""
    youth = "h.old = 0 AND h.known = 1"
    update_by_household(
        version,
        UNIVERSE,
        {
            "old": "MAX(CASE WHEN age >= 25 THEN 1 ELSE 0 END)",
            "known": "MAX(CASE WHEN age IS NOT NULL THEN 1 ELSE 0 END)",
            "own_child": "MAX(CASE WHEN relationship_to_hoh = 2 AND age >= 0 AND age <= 17 "
            "THEN 1 ELSE 0 END)",
        },
        {
            "youth_household": f"CASE WHEN {youth} THEN TRUE ELSE FALSE END",
            "parenting_youth": f"CASE WHEN {youth} AND relationship_to_hoh = 1 AND age >= 12 "
            "AND age <= 24 AND h.own_child = 1 THEN TRUE ELSE FALSE END",
        },
    )


def fill_los_days(version) -> None:
    """``los_days`` as Q22a1 counts it (see the module docstring), for every row."""
    fill_bed_night_los(version)
    end = version.report.end
    last_day = Case(
        When(exit_date__isnull=False, exit_date__lte=end, then=F("exit_date")),
        default=day(end + datetime.timedelta(days=1)),
        output_field=DateField(),
    )
    facts(version, UNIVERSE).exclude(project_type=1).update(
        los_days=DaysBetween(last_day, F("entry_date"))
    )


def fill_bed_night_los(version) -> None:
    """``los_days`` of the ES night-by-night stays (project type 1): their bed nights on or
    after the start, before the exit, up to the report end (the other stays' days are written
    by the snapshot, ``at_snapshot``)."""
    end = version.report.end
    end_plus_one = day(end + datetime.timedelta(days=1))
    bed_nights = Subquery(
        Services.objects.live()
        .filter(
            enrollment_id=OuterRef("enrollment_id"),
            record_type=200,
            date_provided__gte=OuterRef("entry_date"),
            date_provided__lte=end,
            date_provided__lt=Coalesce(OuterRef("exit_date"), end_plus_one),
        )
        .order_by()
        .values("enrollment_id")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    facts(version, UNIVERSE).filter(project_type=1).update(los_days=Coalesce(bed_nights, Value(0)))


def at_snapshot(report) -> dict[str, tuple[str, list]]:
    """The columns the APR snapshot writes with each row (``engine.snapshot(computed=...)``):
    the household type and the latest stay (``engine``), ``youth_household`` and
    ``parenting_youth`` (as ``fill_youth``), ``los_days`` of every stay but ES night-by-night
    (as ``fill_los_days``) and ``chronic_status`` 0 (``fill_chronic_status`` sets the others).
    One INSERT instead of five UPDATEs of every row (about 20 s at 200,000 clients)."""
    old = "MAX(CASE WHEN f_age >= 25 THEN 1 ELSE 0 END) OVER household"
    known = "MAX(CASE WHEN f_age IS NOT NULL THEN 1 ELSE 0 END) OVER household"
    own_child = (
        "MAX(CASE WHEN f_relationship = 2 AND f_age >= 0 AND f_age <= 17 THEN 1 ELSE 0 END) "
        "OVER household"
    )
    youth = f"{old} = 0 AND {known} = 1"
    end = report.end
    last_day = "CASE WHEN f_exit IS NOT NULL AND f_exit <= %s THEN f_exit ELSE %s END"
    if connection.vendor == "sqlite":
        days = f"CAST(julianday({last_day}) - julianday(f_entry) AS INTEGER)"
    else:
        days = f"(({last_day})::date - f_entry)"
    return {
        "counted": latest_stay_sql(),
        "household_type": household_type_sql(),
        "youth_household": (f"CASE WHEN {youth} THEN TRUE ELSE FALSE END", []),
        "parenting_youth": (
            f"CASE WHEN {youth} AND f_relationship = 1 AND f_age >= 12 AND f_age <= 24 "
            f"AND {own_child} = 1 THEN TRUE ELSE FALSE END",
            [],
        ),
        "los_days": (
            f"CASE WHEN f_project_type = 1 THEN NULL ELSE {days} END",
            [end, end + datetime.timedelta(days=1)],
        ),
        "chronic_status": ("0", []),
        "derived": (str(REVISION), []),
    }


# Run after the snapshot of a new version (``at_snapshot`` and
# ``income_records.at_snapshot`` wrote the rest) ...
STEPS = [fill_chronic_status, fill_bed_night_los]
# ... and all of them for a version built before a column existed (``reports.apr.table``).
ALL_STEPS = [fill_chronic_status, fill_youth, fill_los_days]
