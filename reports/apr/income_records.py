"""The IncomeBenefits records an APR stay's questions read, written once into ReportFact columns.

HUD's income, non-cash benefit and health insurance questions (Q16-Q21, Q27g-Q27i) each read
one 4.02/4.03/4.04 record per stay and collection point (spec Q16-Q21 "Programming
Instructions"; Glossary "Data collection stage"):

- ``income_start``: the record with DataCollectionStage 1 whose InformationDate is the project
  start date;
- ``income_exit``: the record with DataCollectionStage 3 whose InformationDate is the (live)
  exit date, for stays with an exit;
- ``income_annual``: the relevant annual assessment of a stayer who is required to have one
  (Glossary "Determining a Client's Relevant Annual Assessment"): the latest stage-5 record
  dated within 30 days of the latest anniversary of the household's start, not after the report
  end, the window of ``dataquality.rules.income`` (``annual_due``, ``_annual_in_window``), so
  the scans, Q6c, Q16 and these columns agree.

Several records on the same day: the latest updated (then the highest id) wins. Deleted records
(DateDeleted) never count. Each column is filled by one ``UPDATE`` whose value is a correlated
sub-select picking the record's id (run once per row, not once per table cell); the tables then
test ``income_start__earned=1`` etc. through the to-one join.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When

from dataquality.rules import Context, income
from dataquality.rules.base import open_on
from hmis.models import Enrollment, IncomeBenefits

from ..engine import facts
from .common import UNIVERSE, stayer


def _dated_record(stage: int, on: str, enrollment=None) -> Subquery:
    """The id of the stay's live record of ``stage`` dated on the outer row's ``on`` column
    (the outer row: a fact row, or with ``enrollment`` an enrollment row)."""
    return Subquery(
        IncomeBenefits.objects.live()
        .filter(
            enrollment_id=enrollment if enrollment is not None else OuterRef("enrollment_id"),
            data_collection_stage=stage,
            information_date=OuterRef(on),
        )
        .order_by("-date_updated", "-pk")
        .values("pk")[:1]
    )


def annual_due(enrollments: QuerySet, as_of: dt.date) -> QuerySet:
    """Stayers required to have an annual assessment on ``as_of``: ``income.annual_due`` for
    every household member, not only adults and heads (4.04 health insurance is collected for
    children too, and APR Q21 column C and Q27 youth heads under 18 count them).

    The household has been in the project a year or more (from its earliest start) and the
    member joined on or before the latest anniversary of that start.
    """
    context = Context(as_of=as_of)
    return (
        income._with_anniversary(enrollments.filter(open_on(as_of)), context)
        .alias(_joined=income._day_number("entry_date"))
        .filter(_joined__lte=F("_anniversary"))
    )


def with_annual_assessment(enrollments: QuerySet, as_of: dt.date) -> QuerySet:
    """``annual_due`` enrollments with ``_annual``: the id of the latest stage-5 record in the
    anniversary window (null when there is none), as ``income.latest_annual_assessment``."""
    latest = income._annual_in_window(Context(as_of=as_of)).order_by(
        "-information_date", "-date_updated", "-pk"
    )
    return annual_due(enrollments, as_of).annotate(_annual=Subquery(latest.values("pk")[:1]))


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February), as the rules' YYYYMMDD
    arithmetic: a stay that started on or before it has had an anniversary by ``day``."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def due_without_record(version) -> Q:
    """Counted stayers of the version required to have an annual assessment, as a filter on
    the fact rows, for the rows whose ``income_annual`` is empty (a stayer with a record in the
    window is due by construction).

    A stayer whose own start is a year or more before the report end is due (the household
    started no later than the member); one who started within the last year is due only when
    it joined a household whose anniversary came after the member's start: that case, the
    only one needing the household's earliest start, is looked up in a sub-select restricted
    to those rows.
    """
    report = version.report
    recent = (
        facts(version, UNIVERSE)
        .filter(
            stayer(report),
            counted=True,
            income_annual__isnull=True,
            entry_date__gt=year_before(report.end),
        )
        .values("enrollment_id")
    )
    late_joiners = annual_due(Enrollment.objects.filter(pk__in=recent), report.end)
    return stayer(report) & (
        Q(entry_date__lte=year_before(report.end)) | Q(enrollment_id__in=late_joiners.values("pk"))
    )


def at_snapshot(report) -> dict:
    """The three records as ``engine.snapshot(annotations=...)`` of the enrollment (the same
    picks as ``fill_income_records``), so the APR's INSERT writes them with each row instead of
    three UPDATEs rewriting every row afterwards."""
    return {
        "income_start": _dated_record(1, "entry_date", OuterRef("pk")),
        "income_exit": Case(
            When(exit_on__isnull=False, then=_dated_record(3, "exit_on", OuterRef("pk"))),
            default=Value(None),
        ),
        "income_annual": Case(
            When(
                Q(exit_on__isnull=True) | Q(exit_on__gt=report.end),
                then=Subquery(
                    with_annual_assessment(
                        Enrollment.objects.filter(pk=OuterRef("pk")), report.end
                    ).values("_annual")[:1]
                ),
            ),
            default=Value(None),
        ),
    }


def fill_income_records(version) -> None:
    """Fill ``income_start``, ``income_exit`` and ``income_annual`` for the version's APR rows
    (three UPDATEs)."""
    report = version.report
    rows = facts(version, UNIVERSE)
    rows.update(income_start=_dated_record(1, "entry_date"))
    rows.filter(exit_date__isnull=False).update(income_exit=_dated_record(3, "exit_date"))
    annual = with_annual_assessment(
        Enrollment.objects.filter(pk=OuterRef("enrollment_id")), report.end
    )
    rows.filter(stayer(report)).update(income_annual=Subquery(annual.values("_annual")[:1]))
