"""Definitions several reports share: chronic homelessness, veterans, race/ethnicity, sex.

Each is a ``Q`` over ``ReportFact`` rows (the client's values are copied with each row, the
enrollment is joined), so the PIT and the APR count the same people the same way.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, Q

from .engine import ADULT, facts

# Client race/ethnicity columns (3.04, FY2026) and HUD's labels.
RACES = [
    ("am_ind_ak_native", "American Indian, Alaska Native, or Indigenous"),
    ("asian", "Asian or Asian American"),
    ("black_af_american", "Black, African American, or African"),
    ("mid_east_n_african", "Middle Eastern or North African"),
    ("native_hi_pacific", "Native Hawaiian or Pacific Islander"),
    ("white", "White"),
]
HISPANIC = "hispanic_latinao"


def is_race(column: str) -> Q:
    return Q(**{column: 1})


def _any_two() -> Q:
    q = Q(pk__in=[])
    for i, (a, _la) in enumerate(RACES):
        for b, _lb in RACES[i + 1 :]:
            q |= is_race(a) & is_race(b)
    return q


def only_race(column: str) -> Q:
    """That race and no other race (Hispanic/Latina/o is tested separately)."""
    q = is_race(column)
    for other, _label in RACES:
        if other != column:
            q &= ~is_race(other)
    return q


HISPANIC_Q = Q(**{HISPANIC: 1})
ANY_RACE = Q(pk__in=[])
for _column, _label in RACES:
    ANY_RACE |= is_race(_column)


def pit_race_rows() -> list[tuple[str, Q]]:
    """HUD's PIT race and ethnicity rows (2024 onwards): each race alone and with Hispanic."""
    rows = []
    for column, label in RACES:
        rows.append((f"{label} (only)", only_race(column) & ~HISPANIC_Q))
        rows.append((f"{label} & Hispanic/Latina/o", only_race(column) & HISPANIC_Q))
        if column == "black_af_american":
            rows.append(("Hispanic/Latina/o (only)", HISPANIC_Q & ~ANY_RACE))
    rows.append(("Multi-Racial & Hispanic/Latina/o", _any_two() & HISPANIC_Q))
    rows.append(("Multi-Racial (not Hispanic/Latina/o)", _any_two() & ~HISPANIC_Q))
    rows.append(
        (
            "Client Doesn't Know, Prefers Not to Answer or Data Not Collected",
            ~ANY_RACE & ~HISPANIC_Q,
        )
    )
    return rows


# Sex (4.21, FY2026): 0 Female, 1 Male, 8/9/99 unknown.
SEX_ROWS = [
    ("Female", Q(sex=0)),
    ("Male", Q(sex=1)),
    ("Client Doesn't Know/Prefers Not to Answer", Q(sex__in=[8, 9])),
    ("Data Not Collected", Q(sex=99) | Q(sex__isnull=True)),
]

ADULT_Q = Q(age__gte=ADULT)
CHILD_Q = Q(age__lt=ADULT)
HOH_Q = Q(relationship_to_hoh=1)
VETERAN_Q = ADULT_Q & Q(veteran_status=1)

LITERALLY_HOMELESS_TYPES = (0, 1, 4, 8)


def chronic_individual() -> Q:
    """CH at project start for an adult or HoH (glossary flowchart, REFERENCE §4.7).

    Disabling condition (3.08) yes; then, when the person came from the street, a shelter or a
    safe haven (project type 0/1/4/8 or living situation 100–199), homeless since at least a
    year before start, or 4+ times in 3 years adding up to 12+ months; from an institution
    (200–299) or housing (0–99, 300–499), only after a short stay (LOSUnderThreshold = 1) with
    PreviousStreetESSH = 1, then the same test. Limitation: a disabling condition recorded only
    on 4.05–4.10 records (without 3.08 = 1) is not counted.
    """
    year_before_start = F("entry_date") - datetime.timedelta(days=365)
    long_enough = Q(date_to_street_essh__lte=year_before_start) | (
        Q(times_homeless_past_three_years=4) & Q(months_homeless_past_three_years__in=[112, 113])
    )
    literally_homeless = Q(project_type__in=LITERALLY_HOMELESS_TYPES) | Q(
        living_situation__gte=100, living_situation__lte=199
    )
    short_stay = Q(los_under_threshold=1, previous_street_essh=1)
    return (
        (ADULT_Q | HOH_Q)
        & Q(disabling_condition=1)
        & ((literally_homeless & long_enough) | (~literally_homeless & short_stay & long_enough))
    )


def chronic(version, universe: str) -> Q:
    """CH persons: CH themselves, or in a household whose CH adult/HoH was there at its start.

    For the APR ("apr") this is the derived column ``chronic_status`` (filled once per version
    from ``chronic_expression`` by ``reports.apr.flags``); other universes (the PIT) test the
    expression itself.
    """
    if universe == APR_UNIVERSE:
        return Q(chronic_status=1)
    return chronic_expression(version, universe)


APR_UNIVERSE = "apr"


def chronic_expression(version, universe: str) -> Q:
    """``chronic`` as sub-selects: the person (``chronic_individual``) or a CH adult/HoH of the
    household (in the universe) who entered on or before the person's start."""
    ch_member = facts(version, universe).filter(
        chronic_individual(),
        household_id=OuterRef("household_id"),
        source_id=OuterRef("source_id"),
        entry_date__lte=OuterRef("entry_date"),
    )
    return chronic_individual() | Q(Exists(ch_member))


def household_has(version, universe: str, q: Q) -> Q:
    """The row's household (in the same universe) has a member matching ``q``.

    An uncorrelated set of rows (``pk IN (SELECT ... WHERE EXISTS ...)``, a semi-join planned
    once), not an ``EXISTS`` in the cell: a cell's filter is evaluated in the select list,
    where PostgreSQL runs an ``EXISTS`` as its own sub-plan for every cell that repeats it
    (APR Q7a: five scans of the universe, one per household-type column). As a set,
    ``engine.count_table`` computes it once per statement.
    """
    members = facts(version, universe).filter(
        q, household_id=OuterRef("household_id"), source_id=OuterRef("source_id")
    )
    return Q(pk__in=facts(version, universe).filter(Exists(members)).values("pk"))
