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

from ..engine import DaysBetween, day, facts, update_by_household
from ..hud import chronic_individual
from .common import UNIVERSE


def fill_chronic_status(version) -> None:
    """``chronic_status`` in five statements: 0 everywhere; 1 for the chronically homeless
    adults and heads (``reports.hud.chronic_individual``); 1 for every member of a household
    with such a member who entered on or before the member's start (the earliest such start,
    one grouped UPDATE: ``reports.hud.chronic``'s household test); then, among the rest, 99
    and 8 by the flowchart's unanswered elements (DK/PNTA wins, as Q26b's rows)."""
    from .outcomes import chronic_unknown_status

    rows = facts(version, UNIVERSE)
    rows.update(chronic_status=0)
    rows.filter(chronic_individual()).update(chronic_status=1)
    update_by_household(
        version,
        UNIVERSE,
        {"ch_start": "MIN(CASE WHEN chronic_status = 1 THEN entry_date END)"},
        {"chronic_status": "CASE WHEN h.ch_start <= entry_date THEN 1 ELSE chronic_status END"},
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
    """``los_days`` as Q22a1 counts it (see the module docstring)."""
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
    last_day = Case(
        When(exit_date__isnull=False, exit_date__lte=end, then=F("exit_date")),
        default=end_plus_one,
        output_field=DateField(),
    )
    rows = facts(version, UNIVERSE)
    rows.filter(project_type=1).update(los_days=Coalesce(bed_nights, Value(0)))
    rows.exclude(project_type=1).update(los_days=DaysBetween(last_day, F("entry_date")))


STEPS = [fill_chronic_status, fill_youth, fill_los_days]
