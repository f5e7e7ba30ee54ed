"""APR/CAPER Q6d — chronic homelessness data completeness (REFERENCE.md §3.5), on Enrollment.csv.

Universe: adults and heads of household whose project start is on or after 2016-10-01. Prior
living situation (3.917.1) is split into DK/PNTA and missing like the other elements (the
generator plants both); the other columns follow HUD's "expected to answer" logic.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from .base import DK_PNTA, NOT_COLLECTED, Context, adult_or_hoh

CH_START = dt.date(2016, 10, 1)
ROW2_TYPES = (0, 1, 4, 8)  # ES-EE, ES-NbN, SO, SH: everyone is expected to answer 3.917.3-5
LOS_UNKNOWN = Q(length_of_stay__in=(*DK_PNTA, NOT_COLLECTED)) | Q(length_of_stay__isnull=True)


def ch_universe(enrollments: QuerySet, context: Context) -> QuerySet:
    return adult_or_hoh(enrollments.filter(entry_date__gte=CH_START, entry_date__lte=context.as_of))


def prior_living_dkpnta(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.filter(living_situation__in=DK_PNTA)


def prior_living_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.filter(Q(living_situation=NOT_COLLECTED) | Q(living_situation__isnull=True))


def _institution() -> Q:
    return Q(living_situation__gte=200, living_situation__lte=299)


def _housing_or_other() -> Q:
    return (
        Q(living_situation__lte=99)
        | Q(living_situation__gte=300, living_situation__lte=499)
        | Q(living_situation__isnull=True)
    )


def ch_length_of_stay_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    """Columns C and D: time in institution or housing unknown (not asked of row-2 projects)."""
    return (
        ch_universe(enrollments, context)
        .exclude(project__project_type__in=ROW2_TYPES)
        .filter(_institution() | _housing_or_other())
        .filter(LOS_UNKNOWN)
    )


def _expected(enrollments: QuerySet) -> QuerySet:
    """Who must answer 3.917.3-5: row 2 everyone, else literally homeless or a short stay."""
    return enrollments.filter(
        Q(project__project_type__in=ROW2_TYPES)
        | Q(living_situation__gte=100, living_situation__lte=199)
        | (_institution() & Q(length_of_stay__in=(10, 11, 2, 3), previous_street_essh=1))
        | (_housing_or_other() & Q(length_of_stay__in=(10, 11), previous_street_essh=1))
    )


def ch_date_to_street_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    return _expected(ch_universe(enrollments, context)).filter(date_to_street_essh__isnull=True)


def ch_times_homeless_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    return _expected(ch_universe(enrollments, context)).filter(
        Q(times_homeless_past_three_years__in=(*DK_PNTA, NOT_COLLECTED))
        | Q(times_homeless_past_three_years__isnull=True)
    )


def ch_months_homeless_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    return _expected(ch_universe(enrollments, context)).filter(
        Q(months_homeless_past_three_years__in=(*DK_PNTA, NOT_COLLECTED))
        | Q(months_homeless_past_three_years__isnull=True)
    )
