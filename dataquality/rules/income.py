"""APR/CAPER Q6c — income and housing data quality (REFERENCE.md §3.4).

Destination is on Exit.csv; income at start, at annual assessment and at exit are tested on the
Enrollment (the record that should hold an IncomeBenefits row), for adults and heads of household.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear

from hmis.models import Enrollment, IncomeBenefits

from .base import (
    DK_PNTA,
    NOT_COLLECTED,
    Context,
    adult_or_hoh,
    age_years,
    live_exit_on_or_before,
    open_on,
)

INCOME_SOURCES = (
    "earned",
    "unemployment",
    "ssi",
    "ssdi",
    "va_disability_service",
    "va_disability_non_service",
    "private_disability",
    "workers_comp",
    "tanf",
    "ga",
    "soc_sec_retirement",
    "pension",
    "child_support",
    "alimony",
    "other_income_source",
)


# --- Destination (3.12) ---------------------------------------------------------------------------
def destination_dkpnta(exits: QuerySet, context: Context) -> QuerySet:
    return exits.filter(destination__in=DK_PNTA)


def destination_missing(exits: QuerySet, context: Context) -> QuerySet:
    # HUD: 30 "No exit interview completed" counts as missing, like 99 and blank.
    return exits.filter(Q(destination__in=(30, NOT_COLLECTED)) | Q(destination__isnull=True))


# --- Income and sources (4.02) --------------------------------------------------------------------
def _income(stage: int, date_field: str) -> QuerySet:
    return IncomeBenefits.objects.filter(
        enrollment_id=OuterRef("pk"),
        date_deleted__isnull=True,
        data_collection_stage=stage,
        information_date=OuterRef(date_field),
    )


def _any_source_yes() -> Q:
    q = Q()
    for column in INCOME_SOURCES:
        q |= Q(**{column: 1})
    return q


def _inconsistent() -> Q:
    # "says no income but a source is marked yes, or says yes with no source marked"
    return (Q(income_from_any_source=0) & _any_source_yes()) | (
        Q(income_from_any_source=1) & ~_any_source_yes()
    )


def at_start(enrollments: QuerySet, context: Context) -> QuerySet:
    """Adults and heads of household whose stay started on or before the report end."""
    return adult_or_hoh(enrollments.filter(entry_date__lte=context.as_of))


def income_start_dkpnta(enrollments: QuerySet, context: Context) -> QuerySet:
    row = _income(1, "entry_date").filter(income_from_any_source__in=DK_PNTA)
    return at_start(enrollments, context).filter(Exists(row))


def income_start_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    answered = _income(1, "entry_date").exclude(income_from_any_source=NOT_COLLECTED)
    answered = answered.exclude(income_from_any_source__isnull=True)
    return at_start(enrollments, context).exclude(Exists(answered))


def income_start_issue(enrollments: QuerySet, context: Context) -> QuerySet:
    row = _income(1, "entry_date").exclude(income_from_any_source__in=(*DK_PNTA, NOT_COLLECTED))
    return at_start(enrollments, context).filter(Exists(row.filter(_inconsistent())))


def adult_hoh_leavers(enrollments: QuerySet, context: Context) -> QuerySet:
    return adult_or_hoh(enrollments.filter(live_exit_on_or_before(context.as_of)))


def income_exit_dkpnta(enrollments: QuerySet, context: Context) -> QuerySet:
    row = _income(3, "exit__exit_date").filter(income_from_any_source__in=DK_PNTA)
    return adult_hoh_leavers(enrollments, context).filter(Exists(row))


def income_exit_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    answered = _income(3, "exit__exit_date").exclude(income_from_any_source=NOT_COLLECTED)
    answered = answered.exclude(income_from_any_source__isnull=True)
    return adult_hoh_leavers(enrollments, context).exclude(Exists(answered))


def income_exit_issue(enrollments: QuerySet, context: Context) -> QuerySet:
    row = _income(3, "exit__exit_date").exclude(
        income_from_any_source__in=(*DK_PNTA, NOT_COLLECTED)
    )
    return adult_hoh_leavers(enrollments, context).filter(Exists(row.filter(_inconsistent())))


def _household_start() -> Subquery:
    """The household's earliest project start (HUD §4.5: anniversaries count from it)."""
    return Subquery(
        Enrollment.objects.filter(
            source_id=OuterRef("source_id"),
            household_id=OuterRef("household_id"),
            date_deleted__isnull=True,
        )
        .order_by("entry_date")
        .values("entry_date")[:1]
    )


def _day_number(date) -> ExpressionWrapper:
    """A date as the integer YYYYMMDD: ordered like the dates, and "whole years from A to B" is
    (B − A) // 10000, like a birthday (the same arithmetic as ``base.age_years``, but in integers:
    PostgreSQL's EXTRACT gives numerics, whose division keeps the fraction)."""

    def part(extract):
        return Cast(extract(date), IntegerField())

    return ExpressionWrapper(
        part(ExtractYear) * 10000 + part(ExtractMonth) * 100 + part(ExtractDay),
        output_field=IntegerField(),
    )


def _latest_anniversary(context: Context) -> Subquery:
    """The latest anniversary of the household's earliest start on or before the report end, as
    a YYYYMMDD number (start + whole years × 10000), or NULL before the first anniversary.

    One correlated lookup per enrollment, served by the index
    ``hmis_enrollment_household_start`` (dataquality migration 0002). The rules compare dates with
    this one value (``_day_number(date) <= anniversary``...) instead of recomputing the
    household's start in every comparison: PostgreSQL evaluates a correlated subquery once per
    reference, and the earlier form referenced it 21 times per enrollment.
    """
    end = context.as_of.year * 10000 + context.as_of.month * 100 + context.as_of.day
    years = ExpressionWrapper((Value(end) - F("_start")) / 10000, output_field=IntegerField())
    first = (
        Enrollment.objects.filter(
            source_id=OuterRef("source_id"),
            household_id=OuterRef("household_id"),
            date_deleted__isnull=True,
        )
        .order_by("entry_date")
        .annotate(_start=_day_number("entry_date"))
        .annotate(_whole_years=years)
        .annotate(
            _anniversary=Case(
                When(_whole_years__gte=1, then=F("_start") + F("_whole_years") * 10000),
                default=None,
                output_field=IntegerField(),
            )
        )
    )
    return Subquery(first.values("_anniversary")[:1], output_field=IntegerField())


def _with_anniversary(enrollments: QuerySet, context: Context) -> QuerySet:
    """``_anniversary`` (see ``_latest_anniversary``), and for readers ``_hh_start`` (the
    household's earliest start) and ``_years`` (whole years from it to the report end).

    ``age_years`` gives YYYYMMDD(later) − YYYYMMDD(earlier), which is ``years × 10000`` exactly
    on an anniversary and grows with the later date, so "on or before the anniversary" is
    ``_day_number(date) ≤ _anniversary`` (integer arithmetic, the same on PostgreSQL and SQLite).
    Aliases cost nothing unless a query uses them.
    """
    as_of = Value(context.as_of, output_field=DateField())
    return enrollments.alias(
        _hh_start=_household_start(),
        _years=ExpressionWrapper(age_years("_hh_start", as_of) / 10000, IntegerField()),
        _anniversary=_latest_anniversary(context),
    )


def annual_due(enrollments: QuerySet, context: Context) -> QuerySet:
    """Adult and HoH stayers expected to have an annual assessment (HUD §4.5; spec Q6c row 4).

    The household has been in the project a year or more on the report end (counted from its
    earliest start), and the member joined on or before the latest anniversary; members who
    joined after it are not yet due. (No anniversary yet: ``_anniversary`` is NULL and the
    comparison is not true.)
    """
    return adult_or_hoh(
        _with_anniversary(enrollments.filter(open_on(context.as_of)), context)
        .alias(_joined=_day_number("entry_date"))
        .filter(_joined__lte=F("_anniversary"))
    )


def _annual_in_window(context: Context) -> QuerySet:
    """Stage-5 income records (4.02, DataCollectionStage 5) of the outer enrollment dated from
    30 days before to 30 days after its household's latest anniversary, not after the report
    end (the outer queryset comes from ``annual_due``, which provides the anniversary)."""
    information = "information_date"
    window_start = ExpressionWrapper(
        F(information) - dt.timedelta(days=30), output_field=DateField()
    )
    window_end = ExpressionWrapper(F(information) + dt.timedelta(days=30), output_field=DateField())
    return (
        IncomeBenefits.objects.filter(
            enrollment_id=OuterRef("pk"),
            date_deleted__isnull=True,
            data_collection_stage=5,
            information_date__lte=context.as_of,
        )
        # date − 30 ≤ anniversary (so date ≤ anniversary + 30) and date + 30 ≥ anniversary
        .alias(_minus_30=_day_number(window_start), _plus_30=_day_number(window_end))
        .filter(
            _minus_30__lte=OuterRef("_anniversary"),
            _plus_30__gte=OuterRef("_anniversary"),
        )
    )


def income_annual_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    """No answered annual assessment (4.02, DataCollectionStage 5) in the anniversary window.

    HUD (Glossary "Annual Assessment"; REFERENCE §3.4, §4.5): the record must be dated from 30
    days before to 30 days after the latest anniversary of the household's start, and not after
    the report end. A record outside the window, or one whose IncomeFromAnySource is 99 or
    blank, does not count.
    """
    answered = (
        _annual_in_window(context)
        .exclude(income_from_any_source=NOT_COLLECTED)
        .exclude(income_from_any_source__isnull=True)
    )
    return annual_due(enrollments, context).exclude(Exists(answered))


def income_annual_dkpnta(enrollments: QuerySet, context: Context) -> QuerySet:
    """APR Q6c row 4 column B: the annual assessment in the window says 8/9."""
    row = _annual_in_window(context).filter(income_from_any_source__in=DK_PNTA)
    return annual_due(enrollments, context).filter(Exists(row))


def income_annual_issue(enrollments: QuerySet, context: Context) -> QuerySet:
    """APR Q6c row 4 column D: the annual assessment in the window contradicts its sources."""
    row = _annual_in_window(context).exclude(income_from_any_source__in=(*DK_PNTA, NOT_COLLECTED))
    return annual_due(enrollments, context).filter(Exists(row.filter(_inconsistent())))


def latest_annual_assessment(enrollments: QuerySet, context: Context) -> QuerySet:
    """``annual_due`` enrollments with ``_annual``: the primary key of the latest stage-5 record
    in the anniversary window (null when there is none), for reports that read its amounts
    (APR Q16 column C, Q17–Q19)."""
    latest = _annual_in_window(context).order_by("-information_date", "-date_updated", "-pk")
    return annual_due(enrollments, context).alias(_annual=Subquery(latest.values("pk")[:1]))
