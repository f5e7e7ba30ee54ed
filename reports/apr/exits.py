"""APR exit destinations and moving on: Q23c, Q23d, Q23e, Q24b and the veteran and youth
versions Q25i, Q25j, Q27f1, Q27f2 (HUD CoC APR/ESG CAPER Programming Specifications FY2026 V1.0).

Every table but Q24b counts leavers (Glossary "Leaver": each client's latest stay, exited in the
report range, ``common.leaver``); the destination (3.12) and its subsidy type (3.12.A) are read
from the stay's own exit record (copied into the row by the snapshot, ``engine.EXIT_COLUMNS``), so
a cell is a plain column test. Choices where the spec leaves room:

- Q23c row 38 "Data Not Collected" also holds a destination that is not one of HUD's FY2026
  destination codes (e.g. a prior-living-situation-only code such as 335), so rows 6 + 14 + 23
  + 32 + 39 always add up to row 40. Instruction 2 (a child without a destination takes the head's,
  for 2014-standard data) is not applied: ``Exit.destination`` is required in our model.
- Positive and excluded destinations (rows 41, 42) follow the spec's Appendix A by the stay's
  project type (REFERENCE [DL-DEST] is HUD Data Lab's FY2024 matrix). Where the two differ, the
  spec wins: Appendix A FY2026 checks 332 Host Home (non-crisis) as positive for SO, ES-EE,
  ES-NbN and TH, where the Data Lab matrix has it for SO only. Project types Appendix A has no
  column for use the "HP & PH (all)" column, as it says.
- Row 43 (and Q25i/Q27f1 row 43, whose shell misprints C42/D42/... as the numerator) is
  row 41 / (row 40 - row 42), a rate cell to four places (0 when the denominator is 0).
- Q23d/Q25j/Q27f2 row 13 "TOTAL" is every leaver to 435, with or without a subsidy type; leavers
  of Homelessness Prevention (project type 12) are left out, as the spec's "Project Type: All
  projects except Homelessness Prevention" says (they still count in Q23c row 29).
- Q24b counts heads of household whose latest stay is in PSH (project type 3) with a Moving On
  Assistance record (Services RecordType 300, TypeProvided 1-5; the spec's element "C3",
  4.xx in the data dictionary) dated in the report range. The five sub-selects are small (one
  index range of RecordType 300) and each is evaluated once per cell (see
  ``engine.count_table``), never per row.
- Youth (Q27f1/Q27f2, spec Q27 "Youth Questions"): age 12-24 with no household member above 24
  (members of unknown age do not exclude a household), as Q5a row 13; ``youth`` is the one place
  to switch to the derived ``ReportFact.youth_household`` column.
"""

from __future__ import annotations

from django.db.models import Q

from hmis.models import Services

from ..engine import UNKNOWN_HOUSEHOLD, WITH_CHILDREN_AND_ADULTS, Table
from ..engine import WITHOUT_CHILDREN as ADULTS_ONLY
from ..hud import ANY_RACE, HISPANIC_Q, HOH_Q, RACES, VETERAN_Q, only_race
from . import subpopulations
from .common import DKPNTA_LABEL, HOUSEHOLD_COLUMNS, HOUSEHOLD_Q, SPEC, cells, leaver

DESTINATION = "destination"
SUBSIDY = "destination_subsidy_type"
NOTHING = Q(pk__in=[])


def destination(*codes: int) -> Q:
    return Q(**{f"{DESTINATION}__in": list(codes)})


# --- Q23c Exit Destination: HUD's groups and rows (3.12, FY2026) ---
HOMELESS = [
    (
        116,
        "Place not meant for habitation (e.g., a vehicle, an abandoned building, "
        "bus/train/subway station/airport or anywhere outside)",
    ),
    (
        101,
        "Emergency shelter, including hotel or motel paid for with emergency shelter voucher, "
        "Host Home shelter",
    ),
    (118, "Safe Haven"),
]
INSTITUTIONAL = [
    (215, "Foster care home or foster care group home"),
    (206, "Hospital or other residential non-psychiatric medical facility"),
    (207, "Jail, prison, or juvenile detention facility"),
    (225, "Long-term care facility or nursing home"),
    (204, "Psychiatric hospital or other psychiatric facility"),
    (205, "Substance abuse treatment facility or detox center"),
]
TEMPORARY = [
    (302, "Transitional housing for homeless persons (including homeless youth)"),
    (329, "Residential project or halfway house with no homeless criteria"),
    (314, "Hotel or motel paid for without emergency shelter voucher"),
    (332, "Host Home (non-crisis)"),
    (312, "Staying or living with family, temporary tenure (e.g., room, apartment, or house)"),
    (313, "Staying or living with friends, temporary tenure (e.g., room, apartment, or house)"),
    (327, "Moved from one HOPWA funded project to HOPWA TH"),
]
PERMANENT = [
    (422, "Staying or living with family, permanent tenure"),
    (423, "Staying or living with friends, permanent tenure"),
    (426, "Moved from one HOPWA funded project to HOPWA PH"),
    (410, "Rental by client, no ongoing housing subsidy"),
    (435, "Rental by client, with ongoing housing subsidy"),
    (421, "Owned by client, with ongoing housing subsidy"),
    (411, "Owned by client, no ongoing housing subsidy"),
]
OTHER = [
    (30, "No Exit Interview completed"),
    (17, "Other"),
    (24, "Deceased"),
]
KNOWN = [
    code for group in (HOMELESS, INSTITUTIONAL, TEMPORARY, PERMANENT, OTHER) for code, _ in group
]
KNOWN += [8, 9, 99]
# (header row, header, codes); the group's subtotal row follows its codes.
GROUPS = [
    (2, "Homeless Situations", HOMELESS),
    (7, "Institutional Situations", INSTITUTIONAL),
    (15, "Temporary Situations", TEMPORARY),
    (24, "Permanent Situations", PERMANENT),
]
OTHER_HEADER, OTHER_SUBTOTAL, TOTAL = 33, 39, 40
POSITIVE_ROW, EXCLUDED_ROW, PERCENT_ROW = 41, 42, 43

# Appendix A (FY2026) by project type: SO 4, ES-EE 0, ES-NbN 1, TH 2, SH 8, SSO 6, and
# "HP & PH (all)" for every other type. Permanent destinations are positive everywhere;
# 206 and 24 excluded everywhere; 215 and 225 excluded except for SO.
SO, ES_TH = 4, (0, 1, 2)
PERMANENT_CODES = [code for code, _label in PERMANENT]
SO_POSITIVE = [101, 118, 215, 204, 205, 225, 314, 312, 313, 302, 327, 332]


def positive() -> Q:
    """Appendix A ✔ for the stay's project type."""
    return (
        destination(*PERMANENT_CODES)
        | (Q(project_type=SO) & destination(*SO_POSITIVE))
        | (Q(project_type__in=ES_TH) & destination(332))
    )


def excluded() -> Q:
    """Appendix A ✗ for the stay's project type: left out of row 43's denominator."""
    return (
        destination(206, 24)
        | (~Q(project_type=SO) & destination(215, 225))
        | (Q(project_type=SO) & destination(329))
    )


def destination_rows() -> list[tuple[int, str, Q | None]]:
    """Q23c's rows 2-42: (number, label, filter); None for a grayed group header."""
    rows: list[tuple[int, str, Q | None]] = []
    for header_row, header, codes in GROUPS:
        rows.append((header_row, header, None))
        number = header_row + 1
        for code, label in codes:
            rows.append((number, label, destination(code)))
            number += 1
        rows.append((number, "Subtotal", destination(*[c for c, _l in codes])))
    not_collected = destination(99) | ~destination(*KNOWN)
    rows.append((OTHER_HEADER, "Other Situations", None))
    rows += [
        (OTHER_HEADER + 1 + i, label, destination(code)) for i, (code, label) in enumerate(OTHER)
    ]
    rows += [
        (37, DKPNTA_LABEL, destination(8, 9)),
        (38, "Data Not Collected", not_collected),
        (OTHER_SUBTOTAL, "Subtotal", destination(30, 17, 24, 8, 9) | not_collected),
        (TOTAL, "TOTAL", Q()),
        (POSITIVE_ROW, "Total persons exiting to positive housing destinations", positive()),
        (
            EXCLUDED_ROW,
            "Total persons whose destinations excluded them from the calculation",
            excluded(),
        ),
    ]
    return rows


def group_subtotals() -> list[tuple[str, Q]]:
    """The five situation groups (Q23c rows 6, 14, 23, 32, 39), as Q23e's rows use them."""
    by_number = {n: q for n, _label, q in destination_rows()}
    return [
        ("Homeless Situations", by_number[6]),
        ("Institutional Situations", by_number[14]),
        ("Temporary Situations", by_number[23]),
        ("Permanent Situations", by_number[32]),
        ("Other Situations", by_number[OTHER_SUBTOTAL]),
    ]


def destination_table(version, key: str, title: str, who: Q, source: str) -> Table:
    """Q23c's shell over the leavers matching ``who`` (Q25i: veterans, Q27f1: youth)."""
    left = leaver(version.report) & who
    rows = destination_rows()
    table = Table(
        key=key,
        title=title,
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in rows]
        + [(PERCENT_ROW, "Percentage of persons exiting to positive housing destinations")],
        cells=cells(HOUSEHOLD_Q, [(n, left & q) for n, _l, q in rows if q is not None]),
        source=source,
    )
    for n, _label, q in rows:
        if q is None:
            table.grayed |= {f"{letter}{n}" for letter, _h in HOUSEHOLD_COLUMNS}
    for letter, column in HOUSEHOLD_Q:
        table.rates[f"{letter}{PERCENT_ROW}"] = (
            left & column & positive(),
            left & column & ~excluded(),
        )
    return table


def q23c(version) -> Table:
    """Q23c Exit Destination (spec Q23c; Appendix A): leavers by destination and household type;
    rows 2, 7, 15, 24 and 33 are grayed group headers; 41-43 positive / excluded / percentage."""
    return destination_table(
        version, "Q23c", "Exit Destination", Q(), f"{SPEC} Q23c; Appendix A; 3.12"
    )


# --- Q23d Subsidy type of persons exiting to rental with an ongoing subsidy (3.12.A) ---
PREVENTION = 12  # 2.02.6 Homelessness Prevention: not in Q23d's universe
SUBSIDIES = [
    (428, "GPD TIP housing subsidy"),
    (419, "VASH housing subsidy"),
    (431, "RRH or equivalent subsidy"),
    (433, "HCV voucher (tenant or project based) (not dedicated)"),
    (434, "Public housing unit"),
    (420, "Rental by client, with other ongoing housing subsidy"),
    (436, "Housing Stability Voucher"),
    (437, "Family Unification Program Voucher (FUP)"),
    (438, "Foster Youth to Independence Initiative (FYI)"),
    (439, "Permanent Supportive Housing"),
    (440, "Other permanent housing dedicated for formerly homeless persons"),
]


def subsidy_table(version, key, title, who: Q, columns, column_qs, source) -> Table:
    """Q23d's shell: leavers to 435 (matching ``who``, not from HP) by DestinationSubsidyType."""
    universe = leaver(version.report) & who & destination(435) & ~Q(project_type=PREVENTION)
    rows = [(i + 2, label, Q(**{SUBSIDY: code})) for i, (code, label) in enumerate(SUBSIDIES)]
    rows.append((len(SUBSIDIES) + 2, "TOTAL", Q()))
    return Table(
        key=key,
        title=title,
        columns=columns,
        rows=[(n, label) for n, label, _q in rows],
        cells=cells(column_qs, [(n, universe & q) for n, _l, q in rows]),
        source=source,
    )


def q23d(version) -> Table:
    """Q23d Exit Destination – Subsidy Type of Persons Exiting to Rental by Client With An
    Ongoing Subsidy (spec Q23d): leavers with destination 435, by 3.12.A."""
    return subsidy_table(
        version,
        "Q23d",
        "Exit Destination – Subsidy Type of Persons Exiting to Rental by Client With An "
        "Ongoing Subsidy",
        Q(),
        HOUSEHOLD_COLUMNS,
        HOUSEHOLD_Q,
        f"{SPEC} Q23d; 3.12.A",
    )


# --- Q23e Exit Destination Type by Race and Ethnicity (3.04) ---
def race_columns() -> list[tuple[str, str, Q]]:
    """Q23e columns B-L: one race/ethnicity alone in C-I, J at least one race and Hispanic/
    Latina/o, K two or more races without it, L none selected (8/9/99 only)."""
    alone = {column: only_race(column) & ~HISPANIC_Q for column, _label in RACES}
    labels = dict(RACES)
    single = NOTHING
    for q in alone.values():
        single |= q
    order = ["am_ind_ak_native", "asian", "black_af_american"]
    columns = [("B", "Total", Q())]
    columns += [(letter, labels[c], alone[c]) for letter, c in zip("CDE", order, strict=True)]
    columns.append(("F", "Hispanic/Latina/o", HISPANIC_Q & ~ANY_RACE))
    columns += [
        (letter, labels[c], alone[c])
        for letter, c in zip(
            "GHI", ["mid_east_n_african", "native_hi_pacific", "white"], strict=True
        )
    ]
    columns += [
        ("J", "At Least 1 Race and Hispanic/Latina/o", HISPANIC_Q & ANY_RACE),
        (
            "K",
            "Multi-racial (does not include Hispanic/Latina/o)",
            ANY_RACE & ~HISPANIC_Q & ~single,
        ),
        (
            "L",
            "Unknown (Doesn't Know, Prefers not to Answer, Data not Collected)",
            ~ANY_RACE & ~HISPANIC_Q,
        ),
    ]
    return columns


def q23e(version) -> Table:
    """Q23e Exit Destination Type by Race and Ethnicity (spec Q23e): leavers; rows 2-6 are Q23c's
    group subtotals (rows 6, 14, 23, 32, 39), row 7 every leaver."""
    left = leaver(version.report)
    rows = [(i + 2, label, q) for i, (label, q) in enumerate(group_subtotals())]
    rows.append((7, "Total", Q()))
    columns = race_columns()
    return Table(
        key="Q23e",
        title="Exit Destination Type by Race and Ethnicity",
        columns=[(letter, label) for letter, label, _q in columns],
        rows=[(n, label) for n, label, _q in rows],
        cells=cells(
            [(letter, q) for letter, _l, q in columns], [(n, left & q) for n, _l, q in rows]
        ),
        source=f"{SPEC} Q23e; 3.12; 3.04",
    )


# --- Q24b Moving On Assistance Provided to Households in PSH (Services RecordType 300) ---
MOVING_ON = [
    (1, "Subsidized housing application assistance"),
    (2, "Financial assistance for Moving On (e.g., security deposit, moving expenses)"),
    (3, "Non-financial assistance for Moving On (e.g., housing navigation, transition support)"),
    (4, "Housing referral/placement"),
    (5, "Other (please specify)"),
]


def q24b(version) -> Table:
    """Q24b Moving On Assistance Provided to Households in PSH (spec Q24b): heads of household
    whose latest stay is in PSH, by each type of moving on assistance recorded in the report
    range (a head is in every row of a type received)."""
    report = version.report
    heads = HOH_Q & Q(project_type=3)

    def received(kind: int) -> Q:
        enrollments = (
            Services.objects.live()
            .filter(
                record_type=300,
                type_provided=kind,
                date_provided__gte=report.start,
                date_provided__lte=report.end,
            )
            .values("enrollment_id")
        )
        return Q(enrollment_id__in=enrollments)

    rows = [(i + 2, label, received(kind)) for i, (kind, label) in enumerate(MOVING_ON)]
    return Table(
        key="Q24b",
        title="Moving On Assistance Provided to Households in PSH",
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in rows],
        cells=cells(HOUSEHOLD_Q, [(n, heads & q) for n, _l, q in rows]),
        source=f"{SPEC} Q24b; C3 Moving On Assistance Provided (Services RecordType 300)",
    )


# --- Veterans (Q25 series: age >= 18 and VeteranStatus 1, reports.hud.VETERAN_Q) ---
VETERAN_COLUMNS = [
    ("B", "Total"),
    ("C", "Without Children"),
    ("D", "With Children and Adults"),
    ("E", "Unknown Household Type"),
]
VETERAN_Q_COLUMNS = [
    ("B", Q()),
    ("C", Q(household_type=ADULTS_ONLY)),
    ("D", Q(household_type=WITH_CHILDREN_AND_ADULTS)),
    ("E", Q(household_type=UNKNOWN_HOUSEHOLD)),
]


def q25i(version) -> Table:
    """Q25i Exit Destination – Veterans (spec Q25i): Q23c with the veteran filter (the shell
    keeps the "With Only Children" column)."""
    return destination_table(
        version,
        "Q25i",
        "Exit Destination – Veterans",
        VETERAN_Q,
        f"{SPEC} Q25i (Q23c with the veteran filter); Appendix A",
    )


def q25j(version) -> Table:
    """Q25j Exit Destination – Subsidy Type ... – Veterans (spec Q25j): Q23d with the veteran
    filter, without the "With Only Children" column."""
    return subsidy_table(
        version,
        "Q25j",
        "Exit Destination – Subsidy Type of Persons Exiting to Rental by Client With An "
        "Ongoing Subsidy – Veterans",
        VETERAN_Q,
        VETERAN_COLUMNS,
        VETERAN_Q_COLUMNS,
        f"{SPEC} Q25j (Q23d with the veteran filter)",
    )


# --- Youth (Q27 series) ---
def youth(version) -> Q:
    """Spec Q27 "Youth Questions": a client aged 12-24 in a youth household (every member of
    known age 0-24, at least one age known; as Q5a row 13). The Q27 tables' one definition,
    ``subpopulations.youth``, a test of the derived ``youth_household`` column."""
    return subpopulations.youth(version)


def q27f1(version) -> Table:
    """Q27f1 Exit Destination – Youth (spec Q27f1): Q23c with the youth filter."""
    return destination_table(
        version,
        "Q27f1",
        "Exit Destination – Youth",
        youth(version),
        f"{SPEC} Q27f1 (Q23c with the youth filter); Appendix A",
    )


def q27f2(version) -> Table:
    """Q27f2 Exit Destination – Subsidy Type ... – Youth (spec Q27f2): Q23d with the youth
    filter."""
    return subsidy_table(
        version,
        "Q27f2",
        "Exit Destination – Subsidy Type of Persons Exiting to Rental by Client With An "
        "Ongoing Subsidy – Youth",
        youth(version),
        HOUSEHOLD_COLUMNS,
        HOUSEHOLD_Q,
        f"{SPEC} Q27f2 (Q23d with the youth filter)",
    )


BUILDERS: dict = {
    "Q23c": q23c,
    "Q23d": q23d,
    "Q23e": q23e,
    "Q24b": q24b,
    "Q25i": q25i,
    "Q25j": q25j,
    "Q27f1": q27f1,
    "Q27f2": q27f2,
}
