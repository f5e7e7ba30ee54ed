"""Shared pieces of the rules: the evaluation context, the rule record and SQL helpers.

Every helper returns an ORM expression or queryset, never Python values per record, so that a rule
compiles to ONE SQL statement over whole tables (the scan wraps it in ``INSERT … SELECT``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

# Residential project types (defects.py and HUD's grouping): 0 ES-EE, 2 TH, 3 PSH, 8 SH, 9/10 OPH,
# 13 RRH. ES night-by-night (1) has no continuous stay and is left out of overlap checks.
RESIDENTIAL = (0, 2, 3, 8, 9, 10, 13)
DK_PNTA = (8, 9)
NOT_COLLECTED = 99


@dataclass(frozen=True)
class Context:
    """What a rule needs beside the records: the report end date and the CoC's thresholds.

    ``as_of`` plays HUD's "report end date". ``thresholds`` maps a rule code to the number the
    CoC chose (e.g. ``{"LATE_ENTRY": 11}``); a rule falls back to its ``default_threshold``.
    """

    as_of: dt.date
    thresholds: dict[str, int] = field(default_factory=dict)

    def threshold(self, rule: Rule) -> int | None:
        return self.thresholds.get(rule.code, rule.default_threshold)

    def days_before(self, days: int) -> dt.date:
        return self.as_of - dt.timedelta(days=days)

    def years_before(self, years: int) -> dt.date:
        try:
            return self.as_of.replace(year=self.as_of.year - years)
        except ValueError:  # 29 February
            return self.as_of.replace(year=self.as_of.year - years, day=28)


@dataclass(frozen=True)
class Rule:
    """One data-quality check: what HUD calls it, and the set-based query that finds it.

    ``select(queryset, context)`` narrows a base queryset of ``record_type`` (a model named as
    the HMIS CSV file) to the records with the defect; ``universe(queryset, context)`` narrows it
    to the records the rule applies to (the denominator of its error rate).
    """

    code: str
    title: str
    category: str
    record_type: str  # "Client", "Enrollment" or "Exit"
    hud_reference: str
    severity: str
    select: Callable[[QuerySet, Context], QuerySet]
    universe: Callable[[QuerySet, Context], QuerySet]
    how_to_fix: str
    default_threshold: int | None = None
    threshold_label: str = ""


def everything(queryset: QuerySet, context: Context) -> QuerySet:
    return queryset


def age_years(born: str, on: str) -> ExpressionWrapper:
    """Whole years from date field ``born`` to date field ``on``, like a birthday (HUD §4.4).

    ``(Y2*10000 + M2*100 + D2 - Y1*10000 - M1*100 - D1) / 10000`` truncated; we compare the
    un-divided value with ``years * 10000`` instead of dividing, which is exact and portable.
    """
    return ExpressionWrapper(
        ExtractYear(on) * 10000
        + ExtractMonth(on) * 100
        + ExtractDay(on)
        - ExtractYear(born) * 10000
        - ExtractMonth(born) * 100
        - ExtractDay(born),
        output_field=IntegerField(),
    )


def known_dob(prefix: str = "") -> Q:
    # HUD computes age from any DOB present; 8/9/99 with a DOB present is a "data issue" but the
    # date is still the best we have. DQ 1 and 2 are the usable ones.
    return Q(**{f"{prefix}dob__isnull": False, f"{prefix}dob_data_quality__in": (1, 2)})


def adult_at_entry(queryset: QuerySet, prefix: str = "client__") -> QuerySet:
    """Enrollments whose client was 18 or older on EntryDate (a usable DOB needed)."""
    return queryset.alias(_age=age_years(f"{prefix}dob", "entry_date")).filter(
        known_dob(prefix), _age__gte=180000
    )


def adult_or_hoh(queryset: QuerySet, prefix: str = "client__", rel: str = "") -> QuerySet:
    """Enrollments of adults (age ≥ 18 at entry) or heads of household (HUD's "adults and HoH")."""
    return queryset.alias(_age=age_years(f"{prefix}dob", f"{rel}entry_date")).filter(
        (known_dob(prefix) & Q(_age__gte=180000)) | Q(**{f"{rel}relationship_to_hoh": 1})
    )


def live_exit_on_or_before(as_of: dt.date, prefix: str = "") -> Q:
    """The enrollment has a live exit on or before ``as_of`` (a leaver by then)."""
    return Q(
        **{
            f"{prefix}exit__isnull": False,
            f"{prefix}exit__date_deleted__isnull": True,
            f"{prefix}exit__exit_date__lte": as_of,
        }
    )


def open_on(as_of: dt.date, prefix: str = "") -> Q:
    """HUD's stayer: no (live) exit, or an exit after ``as_of``.

    ``NOT EXISTS`` over Exit (an anti-join) rather than the negated ``LEFT JOIN`` that
    ``~live_exit_on_or_before`` compiles to: PostgreSQL estimated the negated join at one row,
    chose nested loops over the tables joined after it (a full Client scan per enrollment in
    INCOME_ANNUAL_MISSING), and the anti-join is estimated right.
    """
    from hmis.models import Exit

    leaver = Exit.objects.filter(
        enrollment_id=OuterRef(f"{prefix}pk"), date_deleted__isnull=True, exit_date__lte=as_of
    )
    return Q(~Exists(leaver))


def exists(model, **filters) -> Exists:
    return Exists(model.objects.filter(**filters))


def outer(name: str) -> OuterRef:
    return OuterRef(name)


__all__ = [
    "DK_PNTA",
    "NOT_COLLECTED",
    "RESIDENTIAL",
    "Context",
    "F",
    "Rule",
    "adult_at_entry",
    "adult_or_hoh",
    "age_years",
    "everything",
    "exists",
    "known_dob",
    "live_exit_on_or_before",
    "open_on",
    "outer",
]
