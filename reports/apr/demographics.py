"""APR Q12, Q13a1/b1/c1, Q14a/b, Q15, Q16 and Q24e: who was served.

Each cell is a ``Q`` over the counted (latest) stays of the "apr" universe; the records behind a
stay (Disabilities, HealthAndDV, IncomeBenefits) are read with correlated ``EXISTS`` or scalar
subqueries, so every table is still one aggregate statement.

FY2026 notes (REFERENCE §1.5): Q10 (gender) was retired with the gender fields; sex is Q24e.
Row lists of Q12 and Q15 follow the FY2026 table shells as implemented by HUD's vendors
(greenriver hmis-warehouse ``fy2026``): Q12 has each race alone, every pair of the seven
categories, then three or more with and without Hispanic/Latina/o.
"""

from __future__ import annotations

import datetime
from itertools import combinations

from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.lookups import Exact, GreaterThanOrEqual, In, IsNull

from dataquality.rules import Context, income
from hmis.models import Disabilities, Enrollment, HealthAndDV

from ..engine import Table, facts
from ..hud import ADULT_Q
from .common import (
    ADULT_OR_HOH,
    DKPNTA_LABEL,
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_Q,
    PERSON_COLUMNS,
    PERSON_Q,
    SPEC,
    UNIVERSE,
    cells,
    leaver,
    stayer,
)

NOTHING = Q(pk__in=[])

# --- Q12 Race and Ethnicity (3.04) ---
# HUD's race codes (list 1.7) -> Client columns.
RACE_CODES = {
    1: ("am_ind_ak_native", "American Indian, Alaska Native, or Indigenous"),
    2: ("asian", "Asian or Asian American"),
    3: ("black_af_american", "Black, African American, or African"),
    4: ("native_hi_pacific", "Native Hawaiian or Pacific Islander"),
    5: ("white", "White"),
    6: ("hispanic_latinao", "Hispanic/Latina/o"),
    7: ("mid_east_n_african", "Middle Eastern or North African"),
}
SINGLE_ORDER = [1, 2, 3, 6, 7, 4, 5]  # the shell's order (by label)


def _selected(code: int) -> Q:
    return Q(**{f"client__{RACE_CODES[code][0]}": 1})


def exactly(codes) -> Q:
    q = Q()
    for code in RACE_CODES:
        q &= _selected(code) if code in codes else ~_selected(code)
    return q


def _race_count():
    total = Value(0)
    for column, _label in RACE_CODES.values():
        total = total + Case(When(**{f"client__{column}": 1}, then=Value(1)), default=Value(0))
    return total


def q12(version) -> Table:
    """Q12 Race and Ethnicity (spec Q12): every client once, by household type."""
    pairs = list(combinations(SINGLE_ORDER, 2))  # (1, 2), (1, 3), (1, 6) ... (4, 5)
    rows = [(RACE_CODES[c][1], exactly({c})) for c in SINGLE_ORDER]
    rows += [(f"{RACE_CODES[b][1]} & {RACE_CODES[a][1]}", exactly({a, b})) for a, b in pairs]
    three_or_more = Q(GreaterThanOrEqual(_race_count(), 3))
    rows += [
        (
            "Multiracial – more than 2 races/ethnicity, with one being Hispanic/Latina/o",
            three_or_more & _selected(6),
        ),
        (
            "Multiracial – more than 2 races, where no option is Hispanic/Latina/o",
            three_or_more & ~_selected(6),
        ),
    ]
    none = exactly(set())
    rows += [
        (DKPNTA_LABEL, none & Q(client__race_none__in=[8, 9])),
        ("Data Not Collected", none & ~Q(client__race_none__in=[8, 9])),
    ]
    numbered = [(i + 2, label, q) for i, (label, q) in enumerate(rows)]
    total = NOTHING
    for _n, _label, q in numbered:
        total |= q
    numbered.append((len(numbered) + 2, "Total", total))
    return Table(
        key="Q12",
        title="Race and Ethnicity",
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in numbered],
        cells=cells(HOUSEHOLD_Q, [(n, q) for n, _l, q in numbered]),
        source=f"{SPEC} Q12; 3.04",
    )


# --- Q13 Physical and Mental Health Conditions (4.05–4.10) ---
CONDITIONS = [
    (2, "Mental Health Disorder", 9, (1,)),
    (3, "Alcohol Use Disorder", 10, (1,)),
    (4, "Drug Use Disorder", 10, (2,)),
    (5, "Both Alcohol Use and Drug Use Disorders", 10, (3,)),
    (6, "Chronic Health Condition", 7, (1,)),
    (7, "HIV/AIDS", 8, (1,)),
    (8, "Developmental Disability", 6, (1,)),
    (9, "Physical Disability", 5, (1,)),
]


def _condition(records, disability_type: int, responses) -> Q:
    return Q(
        Exists(records.filter(disability_type=disability_type, disability_response__in=responses))
    )


def _conditions_table(key, title, records, who: Q, source: str) -> Table:
    rows = [
        (number, who & _condition(records, dtype, responses))
        for number, _label, dtype, responses in CONDITIONS
    ]
    return Table(
        key=key,
        title=title,
        columns=PERSON_COLUMNS,
        rows=[(n, label) for n, label, _t, _r in CONDITIONS],
        cells=cells(PERSON_Q, rows),
        source=source,
    )


def _disabilities(**filters):
    return Disabilities.objects.live().filter(enrollment_id=OuterRef("enrollment_id"), **filters)


def q13a1(version) -> Table:
    """Q13a1 conditions at start: Disabilities with DataCollectionStage 1 saying yes."""
    return _conditions_table(
        "Q13a1",
        "Physical and Mental Health Conditions at Start",
        _disabilities(data_collection_stage=1),
        Q(),
        f"{SPEC} Q13a1; 4.05–4.10",
    )


def q13b1(version) -> Table:
    """Q13b1 conditions at exit: leavers, records with DataCollectionStage 3."""
    return _conditions_table(
        "Q13b1",
        "Physical and Mental Health Conditions at Exit",
        _disabilities(data_collection_stage=3),
        leaver(version.report),
        f"{SPEC} Q13b1; 4.05–4.10",
    )


def q13c1(version) -> Table:
    """Q13c1 conditions for stayers: the records of the latest information date (any stage) on
    or before the report end."""
    end = version.report.end
    latest_date = Subquery(
        Disabilities.objects.live()
        .filter(enrollment_id=OuterRef(OuterRef("enrollment_id")), information_date__lte=end)
        .order_by("-information_date")
        .values("information_date")[:1]
    )
    return _conditions_table(
        "Q13c1",
        "Physical and Mental Health Conditions for Stayers",
        _disabilities(information_date=latest_date),
        stayer(version.report),
        f"{SPEC} Q13c1; 4.05–4.10",
    )


# --- Q14 Domestic Violence (4.11) ---
def _latest_dv(end: datetime.date, column: str) -> Subquery:
    """``column`` of the stay's latest HealthAndDV record with a DV answer, on or before end."""
    return Subquery(
        HealthAndDV.objects.live()
        .filter(
            enrollment_id=OuterRef("enrollment_id"),
            information_date__lte=end,
            domestic_violence_survivor__isnull=False,
        )
        .order_by("-information_date", "-date_updated", "-pk")
        .values(column)[:1]
    )


def _answer_rows(value, answers: list[tuple[str, tuple]]) -> list[tuple[int, str, Q]]:
    rows = [(i + 2, label, Q(In(value, codes))) for i, (label, codes) in enumerate(answers)]
    rows.append(
        (
            len(rows) + 2,
            "Data Not Collected",
            Q(Exact(value, 99)) | Q(IsNull(value, True)),
        )
    )
    rows.append((len(rows) + 2, "Total", Q()))
    return rows


def q14a(version) -> Table:
    """Q14a Domestic Violence History (spec Q14a): adults and heads, the latest 4.11 answer."""
    survivor = _latest_dv(version.report.end, "domestic_violence_survivor")
    rows = _answer_rows(survivor, [("Yes", (1,)), ("No", (0,)), (DKPNTA_LABEL, (8, 9))])
    return Table(
        key="Q14a",
        title="Domestic Violence History",
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in rows],
        cells=cells(HOUSEHOLD_Q, [(n, ADULT_OR_HOH & q) for n, _l, q in rows]),
        source=f"{SPEC} Q14a; 4.11",
    )


def q14b(version) -> Table:
    """Q14b Most recent experience of domestic violence (spec Q14b, FY2026): adults and heads
    whose latest 4.11 answer is yes, by WhenOccurred of that record."""
    end = version.report.end
    survivor = ADULT_OR_HOH & Q(Exact(_latest_dv(end, "domestic_violence_survivor"), 1))
    when = _latest_dv(end, "when_occurred")
    rows = _answer_rows(
        when,
        [
            ("Within the past three months", (1,)),
            ("Three to six months ago", (2,)),
            ("Six months to one year", (3,)),
            ("One year ago, or more", (4,)),
            (DKPNTA_LABEL, (8, 9)),
        ],
    )
    return Table(
        key="Q14b",
        title=(
            "Most recent experience of domestic violence, sexual assault, dating violence, "
            "stalking, or human trafficking"
        ),
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in rows],
        cells=cells(HOUSEHOLD_Q, [(n, survivor & q) for n, _l, q in rows]),
        source=f"{SPEC} Q14b; 4.11",
    )


# --- Q15 Living Situation (3.917.1) ---
Q15_GROUPS = [
    (
        "Homeless Situations",
        [
            (116, "Place not meant for habitation"),
            (
                101,
                "Emergency shelter, including hotel or motel paid for with emergency shelter "
                "voucher, Host Home shelter",
            ),
            (118, "Safe Haven"),
        ],
    ),
    (
        "Institutional Settings",
        [
            (215, "Foster care home or foster care group home"),
            (206, "Hospital or other residential non-psychiatric medical facility"),
            (207, "Jail, prison or juvenile detention facility"),
            (225, "Long-term care facility or nursing home"),
            (204, "Psychiatric hospital or other psychiatric facility"),
            (205, "Substance abuse treatment facility or detox center"),
        ],
    ),
    (
        "Temporary Situations",
        [
            (302, "Transitional housing for homeless persons (including homeless youth)"),
            (329, "Residential project or halfway house with no homeless criteria"),
            (314, "Hotel or motel paid for without emergency shelter voucher"),
            (332, "Host Home (non-crisis)"),
            (336, "Staying or living in a friend's room, apartment or house"),
            (335, "Staying or living in a family member's room, apartment or house"),
        ],
    ),
    (
        "Permanent Situations",
        [
            (410, "Rental by client, no ongoing housing subsidy"),
            (435, "Rental by client, with ongoing housing subsidy"),
            (421, "Owned by client, with ongoing housing subsidy"),
            (411, "Owned by client, no ongoing housing subsidy"),
        ],
    ),
]


def q15(version) -> Table:
    """Q15 Living Situation (spec Q15): adults and heads by prior living situation; group
    header rows (2, 7, 15, 23) are grayed, each group ends with a subtotal."""
    situation = "enrollment__living_situation"
    rows: list[tuple[int, str, Q | None]] = []
    number = 2
    for header, codes in Q15_GROUPS:
        rows.append((number, header, None))
        number += 1
        for code, label in codes:
            rows.append((number, label, Q(**{situation: code})))
            number += 1
        rows.append((number, "Subtotal", Q(**{f"{situation}__in": [c for c, _l in codes]})))
        number += 1
    unknown = Q(**{f"{situation}__in": [99]}) | Q(**{f"{situation}__isnull": True})
    dk = Q(**{f"{situation}__in": [8, 9]})
    rows += [
        (number, DKPNTA_LABEL, dk),
        (number + 1, "Data Not Collected", unknown),
        (number + 2, "Subtotal", dk | unknown),
        (number + 3, "Total", Q()),
    ]
    table = Table(
        key="Q15",
        title="Living Situation",
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in rows],
        cells=cells(HOUSEHOLD_Q, [(n, ADULT_OR_HOH & q) for n, _l, q in rows if q is not None]),
        source=f"{SPEC} Q15; 3.917.1",
    )
    for n, _label, q in rows:
        if q is None:
            table.grayed |= {f"{letter}{n}" for letter, _h in HOUSEHOLD_COLUMNS}
    return table


# --- Q16 Cash Income – Ranges (4.02) ---
RANGES = [
    (3, "$1 - $150", 0, 150),
    (4, "$151 - $250", 150, 250),
    (5, "$251 - $500", 250, 500),
    (6, "$501 - $1,000", 500, 1000),
    (7, "$1,001 - $1,500", 1000, 1500),
    (8, "$1,501 - $2,000", 1500, 2000),
    (9, "$2,001+", 2000, None),
]
ANSWERED = (
    Q(income_from_any_source=0)
    | Q(income_from_any_source=1, total_monthly_income__isnull=False)
    | Q(income_from_any_source__in=[8, 9])
)


def income_rows() -> list[tuple[int, str, Q]]:
    """Rows 2–11 as filters on an IncomeBenefits record (Q16; amounts are TotalMonthlyIncome)."""
    rows = [
        (
            2,
            "No Income",
            Q(income_from_any_source=0) | Q(income_from_any_source=1, total_monthly_income=0),
        )
    ]
    for number, label, low, high in RANGES:
        q = Q(income_from_any_source=1, total_monthly_income__gt=low)
        if high is not None:
            q &= Q(total_monthly_income__lte=high)
        rows.append((number, label, q))
    rows.append((10, DKPNTA_LABEL, Q(income_from_any_source__in=[8, 9])))
    rows.append((11, "Data Not Collected", ~ANSWERED))
    return rows


def _prefixed(q: Q, prefix: str) -> Q:
    """``q`` (a filter on an IncomeBenefits record) as a filter through the fact's ``prefix``."""
    rewritten = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        if isinstance(child, Q):
            rewritten.children.append(_prefixed(child, prefix))
        else:
            lookup, value = child
            rewritten.children.append((f"{prefix}__{lookup}", value))
    return rewritten


class IncomeAt:
    """Filters on a counted stay's income record (4.02) at start, annual assessment and exit.

    Start: the stage-1 record dated on the project start; exit: the stage-3 record dated on the
    exit (the derived columns ``income_start`` / ``income_exit``, ``reports.apr.income_records``;
    several records on that day: the latest updated); annual: the latest stage-5 record in the
    anniversary window (``income_annual``) of a stay the rule ``income.latest_annual_assessment``
    finds due (Glossary "Annual Assessment"). The rule's set is one sub-select, computed once
    per table statement (``reports.engine.count_table``).
    """

    def __init__(self, version):
        report = version.report
        stays = facts(version, UNIVERSE).filter(counted=True)
        self.due = income.latest_annual_assessment(
            Enrollment.objects.filter(pk__in=stays.values("enrollment_id")),
            Context(as_of=report.end),
        )
        self.is_due = Q(enrollment_id__in=self.due.values("pk"))
        self.assessed = self.is_due & Q(income_annual__isnull=False)

    def start(self, q: Q) -> Q:
        return _prefixed(q, "income_start")

    def exit(self, q: Q) -> Q:
        return _prefixed(q, "income_exit")

    def annual(self, q: Q) -> Q:
        return self.is_due & _prefixed(q, "income_annual")


def q16(version) -> Table:
    """Q16 Cash Income – Ranges (spec Q16): adults; B the stage-1 record dated on the start,
    C the latest annual assessment in its window for adult stayers due one (the rule
    ``income.latest_annual_assessment``), D the stage-3 record dated on the exit for leavers.
    C12 adult stayers not yet due; C13 due without an assessment in the window."""
    report = version.report
    at = IncomeAt(version)
    at_start, at_exit, annual = at.start, at.exit, at.annual
    is_due, assessed = at.is_due, at.assessed
    adult_stayer = ADULT_Q & stayer(report)
    adult_leaver = ADULT_Q & leaver(report)
    table = Table(
        key="Q16",
        title="Cash Income - Ranges",
        columns=[
            ("B", "Income at Start"),
            ("C", "Income at Latest Annual Assessment for Stayers"),
            ("D", "Income at Exit for Leavers"),
        ],
        rows=[(n, label) for n, label, _q in income_rows()]
        + [
            (12, "Number of Adult Stayers Not Yet Required to Have an Annual Assessment"),
            (13, "Number of Adult Stayers Without Required Annual Assessment"),
            (14, "Total Adults"),
        ],
        grayed={"B12", "B13", "D12", "D13"},
        source=f"{SPEC} Q16; 4.02; Glossary Annual Assessment",
    )
    for number, _label, q in income_rows():
        if number == 11:  # answered nowhere: no record, 99/blank, or "yes" without an amount
            table.cells["B11"] = ADULT_Q & ~at_start(ANSWERED)
            table.cells["C11"] = adult_stayer & assessed & ~annual(ANSWERED)
            table.cells["D11"] = adult_leaver & ~at_exit(ANSWERED)
            continue
        table.cells[f"B{number}"] = ADULT_Q & at_start(q)
        table.cells[f"C{number}"] = adult_stayer & annual(q)
        table.cells[f"D{number}"] = adult_leaver & at_exit(q)
    table.cells["C12"] = adult_stayer & ~is_due
    table.cells["C13"] = adult_stayer & is_due & ~assessed
    table.cells["B14"] = ADULT_Q
    table.cells["C14"] = adult_stayer
    table.cells["D14"] = adult_leaver
    return table


# --- Q17 Cash Income – Sources (4.02) ---
SOURCE_LABELS = [
    "Earned Income",
    "Unemployment Insurance",
    "Supplemental Security Income (SSI)",
    "Social Security Disability Insurance (SSDI)",
    "VA Service-Connected Disability Compensation",
    "VA Non-Service-Connected Disability Pension",
    "Private Disability Insurance",
    "Worker's Compensation",
    "Temporary Assistance for Needy Families (TANF)",
    "General Assistance (GA)",
    "Retirement Income from Social Security",
    "Pension or retirement income from a former job",
    "Child Support",
    "Alimony and other spousal support",
    "Other Source",
]
# The sources (4.02.3–4.02.17) in the order of the data-quality rules and of HUD's rows.
SOURCES = list(zip(income.INCOME_SOURCES, SOURCE_LABELS, strict=True))


def q17(version) -> Table:
    """Q17 Cash Income – Sources (spec Q17): adults with each source marked yes (the source
    list of ``income.INCOME_SOURCES``), on the same records as Q16. Row 17: adults with an
    answered record (IncomeFromAnySource 0 or 1) both at start and at the annual assessment
    (C) or exit (D); B17 is grayed."""
    report = version.report
    at = IncomeAt(version)
    adult_stayer = ADULT_Q & stayer(report)
    adult_leaver = ADULT_Q & leaver(report)
    table = Table(
        key="Q17",
        title="Cash Income - Sources",
        columns=[
            ("B", "Income at Start"),
            ("C", "Income at Latest Annual Assessment for Stayers"),
            ("D", "Income at Exit for Leavers"),
        ],
        rows=[(i + 2, label) for i, (_c, label) in enumerate(SOURCES)]
        + [(17, "Adults with Income Information at Start and Annual Assessment/Exit")],
        grayed={"B17"},
        source=f"{SPEC} Q17; 4.02",
    )
    for i, (column, _label) in enumerate(SOURCES):
        yes = Q(**{column: 1})
        table.cells[f"B{i + 2}"] = ADULT_Q & at.start(yes)
        table.cells[f"C{i + 2}"] = adult_stayer & at.annual(yes)
        table.cells[f"D{i + 2}"] = adult_leaver & at.exit(yes)
    informed = Q(income_from_any_source__in=[0, 1])
    table.cells["C17"] = adult_stayer & at.start(informed) & at.annual(informed)
    table.cells["D17"] = adult_leaver & at.start(informed) & at.exit(informed)
    return table


# --- Q24e Sex (4.21, FY2026) ---
def q24e(version) -> Table:
    """Q24e Sex (spec Q24e, new in FY2026): every client, by household type."""
    rows = [
        (2, "Female", Q(client__sex=0)),
        (3, "Male", Q(client__sex=1)),
        (4, DKPNTA_LABEL, Q(client__sex__in=[8, 9])),
        (5, "Data Not Collected", Q(client__sex=99) | Q(client__sex__isnull=True)),
        (6, "Total", Q()),
    ]
    return Table(
        key="Q24e",
        title="Sex",
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in rows],
        cells=cells(HOUSEHOLD_Q, [(n, q) for n, _l, q in rows]),
        source=f"{SPEC} Q24e; 4.21",
    )


# Derived ReportFact columns of this module (run once per version, reports.apr.derived).
DERIVED: list = []
