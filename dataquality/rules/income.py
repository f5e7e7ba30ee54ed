"""APR/CAPER Q6c — income and housing data quality (REFERENCE.md §3.4).

Destination is on Exit.csv; income at start, at annual assessment and at exit are tested on the
Enrollment (the record that should hold an IncomeBenefits row), for adults and heads of household.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from hmis.models import IncomeBenefits

from .base import DK_PNTA, NOT_COLLECTED, Context, adult_or_hoh, live_exit_on_or_before, open_on

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


def annual_due(enrollments: QuerySet, context: Context) -> QuerySet:
    """Adult and HoH stayers in the project a year or more on the report end date (HUD §4.5)."""
    return adult_or_hoh(
        enrollments.filter(open_on(context.as_of), entry_date__lte=context.years_before(1))
    )


def income_annual_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    """No answered annual assessment (stage 5) in the window of the latest anniversary.

    HUD wants a stage-5 record within 30 days of the anniversary of the household's start.
    Without per-row date arithmetic (kept portable across PostgreSQL and SQLite) we accept any
    stage-5 record dated from 395 days before the report end: the latest anniversary lies within
    the last 365 days, so its −30-day window starts at most 395 days back.
    """
    answered = IncomeBenefits.objects.filter(
        enrollment_id=OuterRef("pk"),
        date_deleted__isnull=True,
        data_collection_stage=5,
        information_date__gte=context.days_before(395),
        information_date__lte=context.as_of,
    ).exclude(income_from_any_source__in=(NOT_COLLECTED,))
    return annual_due(enrollments, context).exclude(Exists(answered))
