"""What the APR's question modules share: the universe's name, HUD's column sets, cell helpers.

Every cell is a ``Q`` over the version's ``ReportFact`` rows of the "apr" universe (each
client's latest stay, ``counted``), so ``count_table`` counts it and the drill-down lists it.
"""

from __future__ import annotations

from django.db.models import Q

from ..engine import ONLY_CHILDREN, UNKNOWN_HOUSEHOLD, WITH_CHILDREN_AND_ADULTS, WITHOUT_CHILDREN
from ..hud import ADULT_Q, CHILD_Q, HOH_Q

UNIVERSE = "apr"
SPEC = "HUD CoC APR/ESG CAPER HMIS Programming Specifications FY2026 V1.0"
HOUSEHOLD_COLUMNS = [
    ("B", "Total"),
    ("C", "Without Children"),
    ("D", "With Children and Adults"),
    ("E", "With Only Children"),
    ("F", "Unknown Household Type"),
]
HOUSEHOLD_Q = [
    ("B", Q()),
    ("C", Q(household_type=WITHOUT_CHILDREN)),
    ("D", Q(household_type=WITH_CHILDREN_AND_ADULTS)),
    ("E", Q(household_type=ONLY_CHILDREN)),
    ("F", Q(household_type=UNKNOWN_HOUSEHOLD)),
]
# Q13/Q14-style columns that split the mixed household into its adults and its children
# (unknown-age members go to the last column, as in HUD's table shells).
PERSON_COLUMNS = [
    ("B", "Total Persons"),
    ("C", "Without Children"),
    ("D", "Adults in HH with Children & Adults"),
    ("E", "Children in HH with Children & Adults"),
    ("F", "With Only Children"),
    ("G", "Unknown Household Type"),
]
PERSON_Q = [
    ("B", Q()),
    ("C", Q(household_type=WITHOUT_CHILDREN)),
    ("D", Q(household_type=WITH_CHILDREN_AND_ADULTS) & ADULT_Q),
    ("E", Q(household_type=WITH_CHILDREN_AND_ADULTS) & CHILD_Q),
    ("F", Q(household_type=ONLY_CHILDREN)),
    ("G", Q(household_type=UNKNOWN_HOUSEHOLD) | Q(age__isnull=True)),
]
DKPNTA_LABEL = "Client Doesn't Know/Prefers Not to Answer"
ADULT_OR_HOH = ADULT_Q | HOH_Q


def cells(columns, rows) -> dict[str, Q]:
    """A cell per (column, row): the column's filter AND the row's filter."""
    return {f"{letter}{number}": cq & rq for letter, cq in columns for number, rq in rows}


def leaver(report) -> Q:
    """Glossary "Leaver": the counted stay's exit is in the report range (REFERENCE §4.6)."""
    return Q(exit_date__gte=report.start, exit_date__lte=report.end)


def stayer(report) -> Q:
    return Q(exit_date__isnull=True) | Q(exit_date__gt=report.end)


def dq_universe(report) -> Q:
    """Q5a column B "Count of Clients for DQ": SO stays only with an engagement by the end."""
    return ~Q(project_type=4) | Q(
        date_of_engagement__isnull=False,
        date_of_engagement__lte=report.end,
    )
