"""APR Q22a1, Q25a and Q26b: length of participation, veterans, chronically homeless persons.

Q22a1 (spec Q22a1; Glossary "Length of Participation"): days from project start to the exit for
leavers and to the day after the report end for stayers; ES night-by-night stays count their
bed nights (on or after the start, before the exit, up to the report end) instead.

Q25a and Q26b use the chronic-homelessness definition of Q5a row 12 (``reports.hud.chronic``,
Glossary flowchart, REFERENCE §4.7). The flowchart's "doesn't know / prefers not to answer" and
"data not collected" outcomes, for adults and heads who are not chronically homeless: disabling
condition 8/9 or 99/blank; or, disabled and homeless (or from a short institutional/housing stay
after the street), no date a year back and the number of times, or (four or more times) the
number of months, 8/9 or 99/blank. Children who are not heads take their household's status
only when it is chronically homeless; otherwise they are "not chronically homeless".
"""

from __future__ import annotations

import datetime

from django.db.models import (
    DurationField,
    F,
    Q,
    Value,
)
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from ..engine import UNKNOWN_HOUSEHOLD, WITH_CHILDREN_AND_ADULTS, Table
from ..engine import WITHOUT_CHILDREN as ADULTS_ONLY
from ..hud import ADULT_Q, HOH_Q, LITERALLY_HOMELESS_TYPES, chronic, chronic_expression
from .common import DKPNTA_LABEL, HOUSEHOLD_COLUMNS, HOUSEHOLD_Q, SPEC, UNIVERSE, cells, leaver

# --- Q22a1 Length of Participation – CoC Projects ---
LENGTHS = [
    (2, "30 days or less", 0, 30),
    (3, "31 to 60 days", 31, 60),
    (4, "61 to 90 days", 61, 90),
    (5, "91 to 180 days", 91, 180),
    (6, "181 to 365 days", 181, 365),
    (7, "366 to 730 days (1-2 Yrs)", 366, 730),
    (8, "731 to 1,095 days (2-3 Yrs)", 731, 1095),
    (9, "1,096 to 1,460 days (3-4 Yrs)", 1096, 1460),
    (10, "1,461 to 1,825 days (4-5 Yrs)", 1461, 1825),
    (11, "More than 1,825 days (> 5 Yrs)", 1826, None),
]


def _between(value, low: int, high: int | None, unit) -> Q:
    q = ~Q(LessThanOrEqual(value, unit(low - 1))) if low > 0 else Q()
    if high is not None:
        q &= ~Q(GreaterThan(value, unit(high)))
    return q


def q22a1(version) -> Table:
    """Q22a1 Length of Participation – CoC Projects: B total, C leavers, D stayers, by the
    derived ``los_days`` (``reports.apr.flags.fill_los_days``: dates, or bed nights for ES
    night-by-night)."""
    report = version.report
    left = leaver(report)
    stays = Q(exit_date__isnull=True) | Q(exit_date__gt=report.end)
    rows = []
    for number, _label, low, high in LENGTHS:
        q = Q(los_days__gte=low)
        if high is not None:
            q &= Q(los_days__lte=high)
        rows.append((number, q))
    rows.append((12, Q()))
    columns = [("B", Q()), ("C", left), ("D", stays)]
    return Table(
        key="Q22a1",
        title="Length of Participation - CoC Projects",
        columns=[("B", "Total"), ("C", "Leavers"), ("D", "Stayers")],
        rows=[(n, label) for n, label, _l, _h in LENGTHS] + [(12, "Total")],
        cells=cells(columns, rows),
        source=f"{SPEC} Q22a1; Glossary Length of Participation",
    )


def _count(n: int) -> Value:
    return Value(n)


def _days(n: int) -> Value:
    return Value(datetime.timedelta(days=n), output_field=DurationField())


# --- chronic homelessness status at start (Q25a, Q26b) ---
def _dk(field: str) -> Q:
    return Q(**{f"{field}__in": [8, 9]})


def _missing(field: str) -> Q:
    return Q(**{field: 99}) | Q(**{f"{field}__isnull": True})


def chronic_unknown(version, dk: bool) -> Q:
    """Q26b's "client doesn't know / prefers not to answer" (``dk``) or "data not collected"
    (not DK) rows: the derived column ``chronic_status`` (8 / 99, ``reports.apr.flags``)."""
    return Q(chronic_status=8 if dk else 99)


def chronic_unknown_expression(version, dk: bool) -> Q:
    """Adults and heads not chronically homeless whose status is DK/PNTA (``dk``) or not
    collected, from the first unanswered element of the flowchart (see the module docstring).
    ``reports.apr.flags`` fills ``chronic_status`` from ``chronic_unknown_status`` (the same
    without the "not chronically homeless" test, which it applies on the column)."""
    return chronic_unknown_status(dk) & ~chronic_expression(version, UNIVERSE)


def chronic_unknown_status(dk: bool) -> Q:
    """``chronic_unknown_expression`` for any adult or head, chronically homeless or not."""
    unknown = _dk if dk else _missing
    other = _missing if dk else _dk
    year_before_start = F("entry_date") - datetime.timedelta(days=365)
    long_ago = Q(date_to_street_essh__lte=year_before_start)
    homeless_path = Q(project_type__in=LITERALLY_HOMELESS_TYPES) | Q(
        living_situation__gte=100, living_situation__lte=199
    )
    short_stay = Q(los_under_threshold=1, previous_street_essh=1)
    asked_times = (homeless_path | short_stay) & ~long_ago
    times = asked_times & unknown("times_homeless_past_three_years")
    months = (
        asked_times
        & Q(times_homeless_past_three_years=4)
        & unknown("months_homeless_past_three_years")
    )
    disabled = Q(disabling_condition=1)
    status = unknown("disabling_condition") | (
        disabled & ~other("times_homeless_past_three_years") & (times | months)
    )
    return (ADULT_Q | HOH_Q) & status


def chronic_rows(version) -> list[tuple[int, str, Q]]:
    """Q26b's rows on the derived ``chronic_status`` (1 CH, 0 not, 8 DK/PNTA, 99 not
    collected; ``reports.apr.flags.fill_chronic_status``)."""
    return [
        (2, "Chronically Homeless", Q(chronic_status=1)),
        (3, "Not Chronically Homeless", Q(chronic_status=0)),
        (4, DKPNTA_LABEL, Q(chronic_status=8)),
        (5, "Data Not Collected", Q(chronic_status=99)),
        (6, "Total", Q()),
    ]


def q26b(version) -> Table:
    """Q26b Number of Chronically Homeless Persons by Household (spec Q26b): every person."""
    rows = chronic_rows(version)
    return Table(
        key="Q26b",
        title="Number of Chronically Homeless Persons by Household",
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in rows],
        cells=cells(HOUSEHOLD_Q, [(n, q) for n, _l, q in rows]),
        source=f"{SPEC} Q26b; Glossary Chronically Homeless flowchart",
    )


def q25a(version) -> Table:
    """Q25a Number of Veterans (spec Q25a): adults by veteran status (3.07) and CH status.

    Columns: B total, C without children, D with children and adults, E unknown household type
    (an adult cannot be in a child-only household)."""
    ch = chronic(version, UNIVERSE)
    veteran = Q(veteran_status=1)
    rows = [
        (2, "Chronically Homeless Veteran", veteran & ch),
        (3, "Non-Chronically Homeless Veteran", veteran & ~ch),
        (4, "Not a Veteran", Q(veteran_status=0)),
        (5, DKPNTA_LABEL, Q(veteran_status__in=[8, 9])),
        (
            6,
            "Data Not Collected",
            Q(veteran_status=99) | Q(veteran_status__isnull=True),
        ),
        (7, "Total", Q()),
    ]
    columns = [
        ("B", Q()),
        ("C", Q(household_type=ADULTS_ONLY)),
        ("D", Q(household_type=WITH_CHILDREN_AND_ADULTS)),
        ("E", Q(household_type=UNKNOWN_HOUSEHOLD)),
    ]
    return Table(
        key="Q25a",
        title="Number of Veterans",
        columns=[
            ("B", "Total"),
            ("C", "Without Children"),
            ("D", "With Children and Adults"),
            ("E", "Unknown Household Type"),
        ],
        rows=[(n, label) for n, label, _q in rows],
        cells=cells(columns, [(n, ADULT_Q & q) for n, _l, q in rows]),
        source=f"{SPEC} Q25a; 3.07",
    )
