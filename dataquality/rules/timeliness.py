"""APR/CAPER Q6e — timeliness (REFERENCE.md §3.6): days from the event to the record's creation.

Days are calendar-day differences of dates (the date part of DateCreated in the CoC's time zone).
HUD's buckets are < 0, 0, 1-3, 4-6, 7-10 and 11+; the rules flag "11+" (the threshold a CoC may
change) and "< 0" (a record created before the event it records: a future date).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import DateField, DurationField, ExpressionWrapper, F, QuerySet
from django.db.models.functions import TruncDate

from .base import Context

BUCKETS = (("lt0", None, -1), ("0", 0, 0), ("1-3", 1, 3), ("4-6", 4, 6), ("7-10", 7, 10))
BUCKETS += (("11+", 11, None),)


def lag(event_field: str) -> ExpressionWrapper:
    """DateCreated's date minus the event date, as a duration (whole days)."""
    return ExpressionWrapper(
        TruncDate("date_created", output_field=DateField()) - F(event_field),
        output_field=DurationField(),
    )


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def late_entry(enrollments: QuerySet, context: Context) -> QuerySet:
    from . import RULES

    days = context.threshold(RULES["LATE_ENTRY"])
    return enrollments.alias(_lag=lag("entry_date")).filter(_lag__gte=_days(days))


def future_entry(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.alias(_lag=lag("entry_date")).filter(_lag__lt=_days(0))


def late_exit(exits: QuerySet, context: Context) -> QuerySet:
    from . import RULES

    days = context.threshold(RULES["LATE_EXIT"])
    return exits.alias(_lag=lag("exit_date")).filter(_lag__gte=_days(days))


def future_exit(exits: QuerySet, context: Context) -> QuerySet:
    return exits.alias(_lag=lag("exit_date")).filter(_lag__lt=_days(0))
