"""APR veterans, chronically homeless persons and youth: Q25b, Q25d, Q26a, Q26d, Q27a, Q27b,
Q27d (HUD CoC APR/ESG CAPER Programming Specifications FY2026 V1.0, Q25, Q26 and Q27 series).

Each table is an earlier question with a filter added (the spec's "Add veteran/CH/youth filter
to Q.."), or a household count (distinct heads of household, Glossary "Unduplicated Household
Counts", as Q8a). Three definitions are shared by several tables; each is ONE function here,
a plain test of its derived ``ReportFact`` column (filled once per version by
``reports.apr.flags``):

- ``chronic_status``: the Q26b status of a stay (1 CH, 0 not, 8 DK/PNTA, 99 not collected),
  column ``chronic_status``;
- ``youth_household``: every member of known age is 0-24 and at least one age is known (spec
  Q27 introduction: no household member above 24), column ``youth_household``;
- ``parenting_youth``: a youth head of household with a child of their own (RelationshipToHoH
  2, aged 0-17) active in the household (spec Q27b steps 3-4), column ``parenting_youth``.

Household questions (Q25b, Q26a, Q27b) look at every member of the head's stay that is in the
universe (``household_has``: same HouseholdID and source, any member's stay active in range),
as the spec asks ("include all other adults present with the head of household on that project
stay who are also active in the date range"), not only at members whose latest stay it is.
"""

from __future__ import annotations

from django.db.models import Q

from ..engine import (
    ONLY_CHILDREN,
    UNKNOWN_HOUSEHOLD,
    WITH_CHILDREN_AND_ADULTS,
    WITHOUT_CHILDREN,
    Table,
)
from ..hud import ADULT_Q, CHILD_Q, HOH_Q, VETERAN_Q, household_has
from . import demographics
from .common import DKPNTA_LABEL, HOUSEHOLD_COLUMNS, HOUSEHOLD_Q, SPEC, UNIVERSE, cells

ADULT_OR_HOH = ADULT_Q | HOH_Q
YOUTH_AGE = Q(age__gte=12, age__lte=24)

# Veteran tables have no "With Only Children" column (spec Q25a/Q25b/Q25d: by definition a
# child-only household has no veteran).
VETERAN_COLUMNS = [
    ("B", "Total"),
    ("C", "Without Children"),
    ("D", "With Children and Adults"),
    ("E", "Unknown Household Type"),
]
VETERAN_COLUMN_Q = [
    ("B", Q()),
    ("C", Q(household_type=WITHOUT_CHILDREN)),
    ("D", Q(household_type=WITH_CHILDREN_AND_ADULTS)),
    ("E", Q(household_type=UNKNOWN_HOUSEHOLD)),
]


def in_household_with(version, q: Q) -> Q:
    """The row's household (same HouseholdID and source, any stay of the universe) has a member
    matching ``q`` (``hud.household_has``, an uncorrelated set)."""
    return household_has(version, UNIVERSE, q)


# --- the shared definitions (one function each; see the module docstring) ---
def chronic_status(version) -> dict[int, Q]:
    """The stay's chronic-homelessness status at start as Q26b reports it: 1 chronically
    homeless, 0 not, 8 client doesn't know/prefers not to answer, 99 data not collected
    (Glossary "Chronically Homeless at Project Start"): the derived column ``chronic_status``
    (``reports.apr.flags.fill_chronic_status``, the rows of ``outcomes.chronic_rows``)."""
    return {code: Q(chronic_status=code) for code in (1, 0, 8, 99)}


def youth_household(version) -> Q:
    """Every member of known age is 0-24 and at least one member's age is known (spec Q27:
    "provided that not one household member is above that age range"; as Q5a row 13): the
    derived column ``youth_household`` (``reports.apr.flags.fill_youth``)."""
    return Q(youth_household=True)


def youth(version) -> Q:
    """Spec Q27: a client aged 12-24 in a youth household."""
    return YOUTH_AGE & youth_household(version)


def parenting_youth(version) -> Q:
    """A youth head of household (RelationshipToHoH 1, aged 12-24, youth household) with a
    household member who is their child (RelationshipToHoH 2) aged 0-17, active in the range
    (spec Q27b steps 2-4: "Include clients of any age between 0 and 17"): the derived column
    ``parenting_youth`` (``reports.apr.flags.fill_youth``).

    The spec makes only the head the parent (spouses/partners aged 18-24 are reported in Q27b
    column B as "adults in the household", not as parents themselves), so this is a head's flag.
    """
    return Q(parenting_youth=True)


# --- shared helpers ---
def _dob_unknown(dk: bool) -> Q:
    """Q11 rows "Client Doesn't Know/Prefers Not to Answer" (DOB quality 8/9) and "Data Not
    Collected" (anything else without an age)."""
    quality = Q(dob_data_quality__in=[8, 9])
    return Q(age__isnull=True) & (quality if dk else ~quality)


def _age_rows(bands, first: int) -> list[tuple[int, str, Q]]:
    """Q11-style age rows from (low, high or None, label), numbered from ``first``."""
    rows = []
    for i, (low, high, label) in enumerate(bands):
        q = Q(age__gte=low) if high is None else Q(age__gte=low, age__lte=high)
        rows.append((first + i, label, q))
    return rows


def _table(key, title, columns, column_q, rows, source, grayed=(), **kw) -> Table:
    """A table whose cell is (column filter) AND (row filter), without its grayed cells."""
    table = Table(
        key=key,
        title=title,
        columns=columns,
        rows=[(n, label) for n, label, _q in rows],
        cells=cells(column_q, [(n, q) for n, _l, q in rows]),
        grayed=set(grayed),
        source=source,
        **kw,
    )
    for address in table.grayed:
        table.cells.pop(address, None)
    return table


# --- Q25b Number of Veteran Households ---
def q25b(version) -> Table:
    """Q25b Number of Veteran Households (spec Q25b): heads of household (their latest stay),
    the household's row from all its adults active in range, first match wins:
    2 a chronically homeless veteran; 3 a veteran (none CH); 4 every adult's veteran status is
    "no"; 5 an adult answered 8/9; 6 an adult's status is 99 or missing.

    CH is Q26b's status 1 (spec: a DK/PNTA/unknown CH status counts as not chronically
    homeless here). Our choice where the spec is silent: only households with at least one
    adult are reported (row 4's "all the adults" is not applied to a household without adults,
    e.g. an unknown-age head alone); the total (row 7) is every such household, so a household
    whose adults carry an invalid veteran code is only in the total.
    """
    ch = chronic_status(version)[1]
    adults_status = Q(veteran_status=0)
    has_adult = in_household_with(version, ADULT_Q)
    vet_ch = in_household_with(version, VETERAN_Q & ch)
    vet = in_household_with(version, VETERAN_Q)
    not_no = in_household_with(version, ADULT_Q & ~adults_status)
    dk = in_household_with(version, ADULT_Q & Q(veteran_status__in=[8, 9]))
    missing = in_household_with(
        version,
        ADULT_Q & (Q(veteran_status=99) | Q(veteran_status__isnull=True)),
    )
    head = HOH_Q & ~Q(household_type=ONLY_CHILDREN) & has_adult
    rows = [
        (2, "Chronically Homeless Veteran", head & vet_ch),
        (3, "Non-Chronically Homeless Veteran", head & vet & ~vet_ch),
        (4, "Not a Veteran", head & ~vet & ~not_no),
        (5, DKPNTA_LABEL, head & ~vet & dk),
        (6, "Data Not Collected", head & ~vet & ~dk & missing),
        (7, "Total", head),
    ]
    return _table(
        "Q25b",
        "Number of Veteran Households",
        VETERAN_COLUMNS,
        VETERAN_COLUMN_Q,
        rows,
        f"{SPEC} Q25b; 3.07; Glossary Unduplicated Household Counts",
    )


# --- Q25d Age – Veterans ---
ADULT_BANDS = [
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 64, "55-64"),
    (65, None, "65+"),
]


def q25d(version) -> Table:
    """Q25d Age – Veterans (spec Q25d): Q11 with the veteran filter (adult at the later of
    project start and report start, 3.07 = 1), without Q11's three child rows and the "With
    Only Children" column. A veteran always has an age, so rows 8 and 9 are grayed."""
    rows = _age_rows(ADULT_BANDS, 2)
    rows += [
        (8, DKPNTA_LABEL, _dob_unknown(True)),
        (9, "Data Not Collected", _dob_unknown(False)),
        (10, "Total", Q()),
    ]
    rows = [(n, label, VETERAN_Q & q) for n, label, q in rows]
    return _table(
        "Q25d",
        "Age - Veterans",
        VETERAN_COLUMNS,
        VETERAN_COLUMN_Q,
        rows,
        f"{SPEC} Q25d; Q11; 3.07",
        grayed={f"{c}{n}" for c, _h in VETERAN_COLUMNS for n in (8, 9)},
    )


# --- Q26a Households with at least one chronically homeless person ---
def q26a(version) -> Table:
    """Q26a Chronic Homeless Status – Number of Households w/at least one or more CH person
    (spec Q26a): heads of household (their latest stay) by the CH status at start of the head
    and the other adults of that stay, first match wins: 2 any of them chronically homeless;
    3 all not chronically homeless; 4 any DK/PNTA; 5 any not collected; 6 total."""
    status = chronic_status(version)

    def any_member(code: int) -> Q:
        return in_household_with(version, ADULT_OR_HOH & status[code])

    has_ch, has_dk, has_missing = any_member(1), any_member(8), any_member(99)
    rows = [
        (2, "Chronically Homeless", HOH_Q & has_ch),
        (3, "Not Chronically Homeless", HOH_Q & ~has_ch & ~has_dk & ~has_missing),
        (4, DKPNTA_LABEL, HOH_Q & ~has_ch & has_dk),
        (5, "Data Not Collected", HOH_Q & ~has_ch & ~has_dk & has_missing),
        (6, "Total", HOH_Q),
    ]
    return _table(
        "Q26a",
        "Chronic Homeless Status - Number of Households w/at least one or more CH person",
        HOUSEHOLD_COLUMNS,
        HOUSEHOLD_Q,
        rows,
        f"{SPEC} Q26a; Glossary Chronically Homeless at Project Start, Unduplicated Household "
        "Counts",
    )


# --- Q26d Age of Chronically Homeless Persons ---
def q26d(version) -> Table:
    """Q26d Age of Chronically Homeless Persons (spec Q26d): Q11 with the CH filter (Q26b row 2)
    and HUD's age groups (0-17, then the adult bands). Grayed: C2 (a child is never in a
    household without children) and E3-E10 (no adult or unknown age in a child-only household),
    as in HUD's shell."""
    ch = chronic_status(version)[1]
    rows = [(2, "0-17", Q(age__gte=0, age__lte=17))] + _age_rows(ADULT_BANDS, 3)
    rows += [
        (9, DKPNTA_LABEL, _dob_unknown(True)),
        (10, "Data Not Collected", _dob_unknown(False)),
        (11, "Total", Q()),
    ]
    rows = [(n, label, ch & q) for n, label, q in rows]
    return _table(
        "Q26d",
        "Age of Chronically Homeless Persons",
        HOUSEHOLD_COLUMNS,
        HOUSEHOLD_Q,
        rows,
        f"{SPEC} Q26d; Q11; Glossary Chronically Homeless at Project Start",
        grayed={"C2"} | {f"E{n}" for n in range(3, 11)},
    )


# --- Q27a Age of Youth ---
def q27a(version) -> Table:
    """Q27a Age of Youth (spec Q27a): Q11 with the youth filter, ages 12-17 and 18-24. Youth
    have a known age, so rows 4 and 5 are grayed; C2 and E3 are grayed as impossible.

    HUD's shell also grays F6 (Total, unknown household type) while F2 and F3 are open; a youth
    household may hold a member of unknown age (unknown household type), so F2/F3 can count
    someone. We keep HUD's shell (F6 grayed) and leave F2/F3 open; B6 still counts them.
    """
    young = youth(version)
    rows = [
        (2, "12-17", Q(age__gte=12, age__lte=17)),
        (3, "18-24", Q(age__gte=18, age__lte=24)),
        (4, DKPNTA_LABEL, _dob_unknown(True)),
        (5, "Data Not Collected", _dob_unknown(False)),
        (6, "Total", Q()),
    ]
    rows = [(n, label, young & q) for n, label, q in rows]
    grayed = {"C2", "E3", "F6"} | {f"{c}{n}" for c, _h in HOUSEHOLD_COLUMNS for n in (4, 5)}
    return _table(
        "Q27a",
        "Age of Youth",
        HOUSEHOLD_COLUMNS,
        HOUSEHOLD_Q,
        rows,
        f"{SPEC} Q27a; Q11",
        grayed=grayed,
    )


# --- Q27b Parenting Youth ---
def q27b(version) -> Table:
    """Q27b Parenting Youth (spec Q27b): households whose head (on the head's latest stay) is a
    parenting youth, by the head's age (row 2 under 18, row 3 18-24). B the head plus every
    adult (18-24) of the household; C the head's children (RelationshipToHoH 2, aged 0-17); D
    every member; E the household (its head).

    Members are counted on the head's stay even when their own latest stay is another one (spec
    step 1), so the table counts all stays (``all_stays``) and ties each to a counted head.
    """
    rows = [(2, "Parent youth < 18", CHILD_Q), (3, "Parent youth 18 to 24", Q(age__gte=18))]
    head = parenting_youth(version) & Q(counted=True)
    columns = [
        ("B", "Total parenting youth"),
        ("C", "Total children of parenting youth"),
        ("D", "Total Persons"),
        ("E", "Total Households"),
    ]
    table = Table(
        key="Q27b",
        title="Parenting Youth",
        columns=columns,
        rows=[(n, label) for n, label, _q in rows],
        all_stays=True,
        source=f"{SPEC} Q27b; 3.15",
    )
    for number, _label, head_age in rows:
        in_household = in_household_with(version, head & head_age)
        table.cells[f"B{number}"] = in_household & (HOH_Q | Q(age__gte=18, age__lte=24))
        table.cells[f"C{number}"] = in_household & Q(relationship_to_hoh=2, age__gte=0, age__lte=17)
        table.cells[f"D{number}"] = in_household
        table.cells[f"E{number}"] = head & head_age
    return table


# --- Q27d Living Situation – Youth ---
def q27d(version) -> Table:
    """Q27d Living Situation – Youth (spec Q27d): Q15 (its rows, groups and grayed header rows
    from ``demographics.q15``) for youth heads of household only ("this table only includes
    youth who are heads of a household")."""
    table = demographics.q15(version)
    youth_head = HOH_Q & youth(version)
    table.key = "Q27d"
    table.title = "Living Situation - Youth"
    table.cells = {address: youth_head & q for address, q in table.cells.items()}
    table.source = f"{SPEC} Q27d; Q15; 3.917.1"
    return table


BUILDERS: dict = {
    "Q25b": q25b,
    "Q25d": q25d,
    "Q26a": q26a,
    "Q26d": q26d,
    "Q27a": q27a,
    "Q27b": q27b,
    "Q27d": q27d,
}
