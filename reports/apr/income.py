"""APR income, benefits and health insurance: Q18, Q19a1, Q19a2, Q19b, Q20a, Q20b, Q21 and the
youth versions Q27g, Q27h, Q27i (HUD CoC APR/ESG CAPER Programming Specifications FY2026 V1.0).

Every cell reads the stay's IncomeBenefits record at a collection point through the derived
``ReportFact`` columns ``income_start``, ``income_annual`` and ``income_exit``
(``reports.apr.income_records``): a to-one join, so a cell is a test of the record's columns.
An empty column (no record) reads as NULL through the join.

Choices where the spec leaves room (kept visible here and in the tests):

- [total income] ("Determining Total and Earned Income", Glossary; the text was not at hand):
  IncomeFromAnySource 0 is $0; 1 is TotalMonthlyIncome, and "yes" without a total is missing
  (as Q16); 8/9 is "doesn't know/prefers not to answer"; 99, blank or no record is missing.
  [earned income] is EarnedAmount when Earned is 1 and the amount is above $0; [other income] is
  [total income] minus [earned income] (all of it when earned income is not counted).
- Annual assessment (Glossary "Determining a Client's Relevant Annual Assessment"): the
  stayer's own latest stage-5 record in the window of its household's latest anniversary (the
  data-quality rule's window). The household-level exceptions of Q20a 3d/3e (members included
  through their head's assessment) are not applied, nor Q20a 4f (leavers who left before their
  head are counted in column D).
- Q18 row 12 / Q27h row 12: adults whose total income is known (neither DK/PNTA nor missing) at
  start and at the annual assessment/exit, i.e. the universe of Q19a1/Q19a2 (note 17).
"""

from __future__ import annotations

from django.db.models import Avg, Case, DecimalField, ExpressionWrapper, F, Q, Value, When
from django.db.models.lookups import Exact, GreaterThan, LessThan

from ..engine import (
    ONLY_CHILDREN,
    UNKNOWN_HOUSEHOLD,
    WITH_CHILDREN_AND_ADULTS,
    WITHOUT_CHILDREN,
    Table,
)
from ..hud import ADULT_Q, HOH_Q
from .common import DKPNTA_LABEL, SPEC, leaver, stayer
from .income_records import due_without_record

START, ANNUAL, EXIT = "income_start", "income_annual", "income_exit"
MONEY = DecimalField(max_digits=14, decimal_places=2)
NOTHING = Q(pk__in=[])

# 4.02.3-4.02.17 in HUD's row order (as Q17, dataquality.rules.income.INCOME_SOURCES).
CASH_SOURCES = [
    ("earned", "Earned Income"),
    ("unemployment", "Unemployment Insurance"),
    ("ssi", "Supplemental Security Income (SSI)"),
    ("ssdi", "Social Security Disability Insurance (SSDI)"),
    ("va_disability_service", "VA Service-Connected Disability Compensation"),
    ("va_disability_non_service", "VA Non-Service-Connected Disability Pension"),
    ("private_disability", "Private Disability Insurance"),
    ("workers_comp", "Worker's Compensation"),
    ("tanf", "Temporary Assistance for Needy Families (TANF)"),
    ("ga", "General Assistance (GA)"),
    ("soc_sec_retirement", "Retirement Income from Social Security"),
    ("pension", "Pension or retirement income from a former job"),
    ("child_support", "Child Support"),
    ("alimony", "Alimony and other spousal support"),
    ("other_income_source", "Other source"),
]
# 4.03.3-4.03.8
BENEFITS = [
    ("snap", "Supplemental Nutrition Assistance Program (SNAP) (Previously known as Food Stamps)"),
    ("wic", "Special Supplemental Nutrition Program for Women, Infants, and Children (WIC)"),
    ("tanf_child_care", "TANF Child Care Services"),
    ("tanf_transportation", "TANF Transportation Services"),
    ("other_tanf", "Other TANF-Funded Services"),
    ("other_benefits_source", "Other Source"),
]
# 4.04.3-4.04.12 (ADAP and Ryan White are HOPWA-only and not in Q21)
INSURANCE = [
    ("medicaid", "MEDICAID"),
    ("medicare", "MEDICARE"),
    ("schip", "State Children's Health Insurance Program"),
    ("vha_services", "Veteran's Health Administration (VHA)"),
    ("employer_provided", "Employer-Provided Health Insurance"),
    ("cobra", "Health Insurance obtained through COBRA"),
    ("private_pay", "Private Pay Health Insurance"),
    ("state_health_ins", "State Health Insurance for Adults"),
    ("indian_health_services", "Indian Health Services Program"),
    ("other_insurance", "Other"),
]

STAGE_COLUMNS = {
    "start": ("B", START),
    "annual": ("C", ANNUAL),
    "exit": ("D", EXIT),
}


# --- the youth universe (spec Q27 introduction) ---
def youth(version) -> Q:
    """APR youth: a client aged 12-24 in a youth household, i.e. every member of known age is
    0-24 and at least one member's age is known (as Q5a row 13): the derived column
    ``youth_household`` (``reports.apr.flags``). The one place this module defines youth.
    """
    return Q(youth_household=True, age__gte=12, age__lte=24)


def youth_adult_or_hoh(version) -> Q:
    """Q27g-Q27i: "youth adults AND youth heads of household even if they are not adults"."""
    return youth(version) & (ADULT_Q | HOH_Q)


# --- one collection point's record ---
class Record:
    """Filters and amounts on the record a derived column points to (``income_start`` ...)."""

    def __init__(self, column: str):
        self.column = column

    def f(self, field: str) -> str:
        return f"{self.column}__{field}"

    def q(self, **lookups) -> Q:
        return Q(**{self.f(k): v for k, v in lookups.items()})

    @property
    def present(self) -> Q:
        return Q(**{f"{self.column}__isnull": False})

    def answer(self, *codes) -> Q:
        return self.q(income_from_any_source__in=codes)

    def yes(self, source: str) -> Q:
        return self.q(**{source: 1})

    def any_yes(self, sources) -> Q:
        q = NOTHING
        for source, _label in sources:
            q |= self.yes(source)
        return q

    def yes_count(self, sources):
        total = Value(0)
        for source, _label in sources:
            total = total + Case(When(self.yes(source), then=Value(1)), default=Value(0))
        return total

    # [total income], [earned income], [other income] (module docstring)
    @property
    def known_total(self) -> Q:
        return self.answer(0) | self.q(income_from_any_source=1, total_monthly_income__isnull=False)

    @property
    def dkpnta(self) -> Q:
        return self.answer(8, 9)

    @property
    def missing_total(self) -> Q:
        return ~self.known_total & ~self.dkpnta

    @property
    def earned(self) -> Q:
        return self.q(income_from_any_source=1, earned=1, earned_amount__gt=0)

    @property
    def other(self) -> Q:
        total_positive = self.q(income_from_any_source=1, total_monthly_income__gt=0)
        beyond_earned = self.q(total_monthly_income__gt=F(self.f("earned_amount")))
        return total_positive & (~self.earned | beyond_earned)

    @property
    def no_income(self) -> Q:
        return self.known_total & ~self.earned & ~self.other

    def total_amount(self):
        return Case(
            When(self.answer(0), then=Value(0)),
            When(self.answer(1), then=F(self.f("total_monthly_income"))),
            default=Value(None),
            output_field=MONEY,
        )

    def earned_amount(self):
        return Case(
            When(self.earned, then=F(self.f("earned_amount"))),
            default=Value(0),
            output_field=MONEY,
        )

    def other_amount(self):
        return Case(
            When(
                self.other,
                then=ExpressionWrapper(
                    self.total_amount() - self.earned_amount(), output_field=MONEY
                ),
            ),
            default=Value(0),
            output_field=MONEY,
        )


def _rows(entries) -> list[tuple[int, str]]:
    return [(n, label) for n, label, *_rest in entries]


# --- Q18 / Q27h income categories ---
def _categories(version, key: str, title: str, who: Q, noun: str) -> Table:
    report = version.report
    start, annual, exit_ = Record(START), Record(ANNUAL), Record(EXIT)
    at_stayer, at_leaver = who & stayer(report), who & leaver(report)
    due = due_without_record(version)
    no_annual = at_stayer & Q(income_annual__isnull=True)
    categories = [
        (2, f"{noun} with Only Earned Income (i.e., Employment Income)", "earned_only"),
        (3, f"{noun} with Only Other Income", "other_only"),
        (4, f"{noun} with Both Earned and Other Income", "both"),
        (5, f"{noun} with No Income", "none"),
        (6, f"{noun} with Client Doesn't Know/Prefers Not to Answer Income Information", "dk"),
        (7, f"{noun} with Missing Income Information", "missing"),
    ]

    def category(record: Record, name: str) -> Q:
        return {
            "earned_only": record.earned & ~record.other,
            "other_only": record.other & ~record.earned,
            "both": record.earned & record.other,
            "none": record.no_income,
            "dk": record.dkpnta,
            "missing": record.missing_total,
        }[name]

    lower = noun.lower()
    rows = [
        *categories,
        (8, f"Number of {lower} stayers not yet required to have an annual assessment"),
        (9, f"Number of {lower} stayers without required annual assessment"),
        (10, f"Total {noun}"),
        (11, "1 or more source of income"),
        (12, f"{noun} with Income Information at Start and Annual Assessment/Exit"),
    ]
    table = Table(
        key=key,
        title=title,
        columns=[
            ("B", f"Number of {noun} at Start"),
            ("C", f"Number of {noun} at Annual Assessment (Stayers)"),
            ("D", f"Number of {noun} at Exit (Leavers)"),
        ],
        rows=_rows(rows),
        grayed={"B8", "B9", "B12", "D8", "D9"},
        source=f"{SPEC} {key}; 4.02; Glossary Determining Total and Earned Income, "
        "Determining a Client's Relevant Annual Assessment",
    )
    for number, _label, name in categories:
        table.cells[f"B{number}"] = who & category(start, name)
        # column C only for stayers with the required assessment (C8/C9 hold the others)
        table.cells[f"C{number}"] = at_stayer & annual.present & category(annual, name)
        # column D: a leaver without the exit record is "missing" (row 7)
        table.cells[f"D{number}"] = at_leaver & category(exit_, name)
    table.cells["C8"] = no_annual & ~due
    table.cells["C9"] = no_annual & due
    table.cells["B10"] = who
    table.cells["C10"] = at_stayer
    table.cells["D10"] = at_leaver
    table.cells["B11"] = who & (start.earned | start.other)
    table.cells["C11"] = at_stayer & (annual.earned | annual.other)
    table.cells["D11"] = at_leaver & (exit_.earned | exit_.other)
    table.cells["C12"] = at_stayer & start.known_total & annual.known_total
    table.cells["D12"] = at_leaver & start.known_total & exit_.known_total
    return table


def q18(version) -> Table:
    """Q18 Client Cash Income Category - Earned/Other Income Category - by Start and Annual
    Assessment/Exit Status (spec Q18): adults. B the start record, C the annual assessment of
    stayers required to have one (C8 not yet required, C9 required and missing), D the exit
    record of leavers (no record: row 7). Row 12: total income known at both points."""
    return _categories(
        version,
        "Q18",
        "Client Cash Income Category - Earned/Other Income Category - by Start and Annual "
        "Assessment/Exit Status",
        ADULT_Q,
        "Adults",
    )


def q27h(version) -> Table:
    """Q27h (spec Q27h): Q18 for youth adults and youth heads of household."""
    return _categories(
        version,
        "Q27h",
        "Client Cash Income Category - Earned/Other Income Category - by Start and Annual "
        "Assessment/Exit Status - Youth",
        youth_adult_or_hoh(version),
        "Youth",
    )


# --- Q19a1 / Q19a2 income change ---
CHANGE_CATEGORIES = [
    (2, 3, "Earned Income (i.e., Employment Income)", "Earned Income", "earned_amount"),
    (4, 5, "Other Income", "Other Income", "other_amount"),
    (6, 7, "Any Income (i.e., Total Income)", "Overall Income", "total_amount"),
]


def _change(version, key: str, title: str, later: Record, who: Q, point: str) -> Table:
    start = Record(START)
    universe = who & start.known_total & later.known_total
    rows = []
    for count_row, average_row, counted, averaged, _amount in CHANGE_CATEGORIES:
        rows.append((count_row, f"Number of Adults with {counted}"))
        rows.append((average_row, f"Average Change in {averaged}"))
    table = Table(
        key=key,
        title=title,
        columns=[
            ("B", f"Had Income Category at Start and Did Not Have It at {point}"),
            ("C", f"Retained Income Category But Had Less $ at {point} Than at Start"),
            ("D", f"Retained Income Category and Same $ at {point} as at Start"),
            ("E", f"Retained Income Category and Increased $ at {point}"),
            (
                "F",
                f"Did Not Have the Income Category at Start and Gained the Income Category "
                f"at {point}",
            ),
            ("G", f"Did Not Have the Income Category at Start or at {point}"),
            ("H", "Total Adults (including those with No Income)"),
            (
                "I",
                f"Performance Measure: Adults who Gained or Increased Income from Start to "
                f"{point}, Average Gain",
            ),
            ("J", "Performance measure: Percent of persons who accomplished this measure"),
        ],
        rows=rows,
        grayed={"D3", "G3", "H3", "J3", "D5", "G5", "H5", "J5", "D7", "G7", "J7"},
        source=f"{SPEC} {key}; 4.02; Glossary Determining Total and Earned Income",
    )
    averages = {}
    zero = Value(0, output_field=MONEY)
    for count_row, average_row, _c, _a, amount in CHANGE_CATEGORIES:
        before, after = getattr(start, amount)(), getattr(later, amount)()
        had, has = Q(GreaterThan(before, zero)), Q(GreaterThan(after, zero))
        columns = {
            "B": had & ~has,
            "C": had & has & Q(LessThan(after, before)),
            "D": had & Q(Exact(after, before)),
            "E": had & Q(GreaterThan(after, before)),
            "F": ~had & has,
            "G": ~had & ~has,
            "H": Q(),
            "I": Q(GreaterThan(after, before)),
        }
        for letter, q in columns.items():
            table.cells[f"{letter}{count_row}"] = universe & q
            address = f"{letter}{average_row}"
            if address not in table.grayed:
                averages[address] = (universe & q, after - before)
        table.rates[f"J{count_row}"] = (universe & columns["I"], universe)
    rows_of = table.rows_of(version)
    found = rows_of.aggregate(
        **{
            address: Avg(ExpressionWrapper(change, output_field=MONEY), filter=q)
            for address, (q, change) in averages.items()
        }
    )
    for address, value in found.items():
        table.values[address] = round(float(value), 2) if value is not None else 0
    return table


def q19a1(version) -> Table:
    """Q19a1 Client Cash Income Change - Income Source - by Start and Latest Status (spec
    Q19a1): adult stayers with a relevant annual assessment (the household a year or more in
    the project) whose total income is known at start and at that assessment. Averages (rows 3,
    5, 7) are the mean change in dollars of the column's adults; J is I / H."""
    report = version.report
    return _change(
        version,
        "Q19a1",
        "Client Cash Income Change - Income Source - by Start and Latest Status",
        Record(ANNUAL),
        ADULT_Q & stayer(report),
        "Annual Assessment",
    )


def q19a2(version) -> Table:
    """Q19a2 Client Cash Income Change - Income Source - by Start and Exit (spec Q19a2): adult
    leavers whose total income is known at start and at exit."""
    report = version.report
    return _change(
        version,
        "Q19a2",
        "Client Cash Income Change - Income Source - by Start and Exit",
        Record(EXIT),
        ADULT_Q & leaver(report),
        "Exit",
    )


# --- Q19b / Q27i disabling condition and income at exit ---
def _disability_income(version, key, title, who, noun, groups) -> Table:
    exit_ = Record(EXIT)
    disabled = Q(disabling_condition=1)
    not_disabled = Q(disabling_condition=0)
    universe = who & leaver(version.report) & Q(disabling_condition__in=[0, 1]) & exit_.answer(0, 1)
    rows = [(i + 2, label, exit_.yes(source)) for i, (source, label) in enumerate(CASH_SOURCES)]
    rows.append((17, "No Sources", exit_.answer(0)))
    anything = NOTHING
    for _n, _label, q in rows:
        anything |= q
    rows.append((18, f"Unduplicated Total {noun}", anything))
    columns, grayed = [], set()
    table = Table(
        key=key,
        title=title,
        columns=columns,
        rows=_rows(rows),
        grayed=grayed,
        source=f"{SPEC} {key}; 3.08; 4.02",
    )
    for prefix, household, letters in groups:
        with_, without, total, percent = letters
        one = "Adult" if noun == "Adults" else noun
        columns += [
            (with_, f"{prefix}: {one} with Disabling Condition"),
            (without, f"{prefix}: {one} without Disabling Condition"),
            (total, f"{prefix}: Total {noun}"),
            (percent, f"{prefix}: % with Disabling Condition by Source"),
        ]
        in_group = universe & Q(household_type=household)
        for number, _label, q in rows:
            table.cells[f"{with_}{number}"] = in_group & disabled & q
            table.cells[f"{without}{number}"] = in_group & not_disabled & q
            table.cells[f"{total}{number}"] = in_group & q
            if number == 18:
                grayed.add(f"{percent}{number}")
            else:
                table.rates[f"{percent}{number}"] = (in_group & disabled & q, in_group & q)
    return table


def q19b(version) -> Table:
    """Q19b Disabling Conditions and Income for Adults at Exit (spec Q19b): adult leavers whose
    disabling condition (3.08) is 0 or 1 and whose exit record answers IncomeFromAnySource 0 or
    1; AO (without children) B-E, AC (with children and adults) F-I, UK (unknown) J-M; E, I, M
    are the share with a disabling condition (B / D); row 17 IncomeFromAnySource 0."""
    return _disability_income(
        version,
        "Q19b",
        "Disabling Conditions and Income for Adults at Exit",
        ADULT_Q,
        "Adults",
        [
            ("AO", WITHOUT_CHILDREN, "BCDE"),
            ("AC", WITH_CHILDREN_AND_ADULTS, "FGHI"),
            ("UK", UNKNOWN_HOUSEHOLD, "JKLM"),
        ],
    )


def q27i(version) -> Table:
    """Q27i (spec Q27i): Q19b for youth adults and youth heads of household, with child-only
    households (CO) in J-M and unknown household type in N-Q."""
    return _disability_income(
        version,
        "Q27i",
        "Disabling Conditions and Income for Youth at Exit",
        youth_adult_or_hoh(version),
        "Youth",
        [
            ("AO", WITHOUT_CHILDREN, "BCDE"),
            ("AC", WITH_CHILDREN_AND_ADULTS, "FGHI"),
            ("CO", ONLY_CHILDREN, "JKLM"),
            ("UK", UNKNOWN_HOUSEHOLD, "NOPQ"),
        ],
    )


# --- Q27g cash income sources, youth ---
Q27G_LABELS = {
    "va_disability_service": "VA Service – Connected Disability Compensation",
    "va_disability_non_service": "VA Non-Service Connected Disability Pension",
    "other_income_source": "Other Source",
}


def q27g(version) -> Table:
    """Q27g Cash Income – Sources – Youth (spec Q27g: Q17 for youth adults and youth heads of
    household): sources marked yes on the start record (B), the annual assessment of stayers
    required to have one (C), the exit record (D); row 17 IncomeFromAnySource 0 or 1 on the
    start record and on the annual/exit record (Q17 4.b.ii/5.b.ii); B17 grayed."""
    report = version.report
    who = youth_adult_or_hoh(version)
    records = {"B": (who, Record(START)), "C": (who & stayer(report), Record(ANNUAL))}
    records["D"] = (who & leaver(report), Record(EXIT))
    rows = [
        (i + 2, Q27G_LABELS.get(source, label), source)
        for i, (source, label) in enumerate(CASH_SOURCES)
    ]
    table = Table(
        key="Q27g",
        title="Cash Income - Sources - Youth",
        columns=[
            ("B", "Income at Start"),
            ("C", "Income at Latest Annual Assessment for Stayers"),
            ("D", "Income at Exit for Leavers"),
        ],
        rows=_rows(rows)
        + [(17, "Youth with Income Information at Start and Annual Assessment/Exit")],
        grayed={"B17"},
        source=f"{SPEC} Q27g; Q17; 4.02",
    )
    for letter, (whom, record) in records.items():
        for number, _label, source in rows:
            table.cells[f"{letter}{number}"] = whom & record.yes(source)
    informed_at_start = Record(START).answer(0, 1)
    for letter in ("C", "D"):
        whom, record = records[letter]
        table.cells[f"{letter}17"] = whom & informed_at_start & record.answer(0, 1)
    return table


# --- Q20a / Q20b non-cash benefits ---
def _adult_points(version) -> dict[str, tuple[Q, Record]]:
    report = version.report
    return {
        "B": (ADULT_Q, Record(START)),
        "C": (ADULT_Q & stayer(report), Record(ANNUAL)),
        "D": (ADULT_Q & leaver(report), Record(EXIT)),
    }


BENEFIT_COLUMNS = [
    ("B", "Benefit at Start"),
    ("C", "Benefit at Latest Annual Assessment for Stayers"),
    ("D", "Benefit at Exit for Leavers"),
]


def q20a(version) -> Table:
    """Q20a Type of Non-Cash Benefit Sources (spec Q20a): adults with each benefit (4.03.3-8)
    marked yes on the start record (B), the annual assessment of stayers required to have one
    (C), the exit record of leavers (D)."""
    rows = [(i + 2, label, source) for i, (source, label) in enumerate(BENEFITS)]
    table = Table(
        key="Q20a",
        title="Type of Non-Cash Benefit Sources",
        columns=BENEFIT_COLUMNS,
        rows=_rows(rows),
        source=f"{SPEC} Q20a; 4.03",
    )
    for letter, (whom, record) in _adult_points(version).items():
        for number, _label, source in rows:
            table.cells[f"{letter}{number}"] = whom & record.yes(source)
    return table


def q20b(version) -> Table:
    """Q20b Number of Non-Cash Benefit Sources (spec Q20b): row 2 every benefit no/blank and
    BenefitsFromAnySource 0; row 3 a benefit yes or BenefitsFromAnySource 1; row 4 the rest
    answering 8/9; row 5 everything else: no record, 99/blank, and in C stayers not yet
    required to have an annual assessment or missing it; row 6 adults, adult stayers, adult
    leavers."""
    table = Table(
        key="Q20b",
        title="Number of Non-Cash Benefit Sources",
        columns=BENEFIT_COLUMNS,
        rows=[
            (2, "No Sources"),
            (3, "1 + Source(s)"),
            (4, DKPNTA_LABEL),
            (5, "Data Not Collected/Not stayed long enough for Annual Assessment"),
            (6, "Total"),
        ],
        source=f"{SPEC} Q20b; 4.03",
    )
    for letter, (whom, record) in _adult_points(version).items():
        any_yes = record.any_yes(BENEFITS)
        none = ~any_yes & record.q(benefits_from_any_source=0)
        some = any_yes | record.q(benefits_from_any_source=1)
        dk = ~any_yes & record.q(benefits_from_any_source__in=[8, 9])
        table.cells[f"{letter}2"] = whom & none
        table.cells[f"{letter}3"] = whom & some
        table.cells[f"{letter}4"] = whom & dk
        table.cells[f"{letter}5"] = whom & ~none & ~some & ~dk
        table.cells[f"{letter}6"] = whom
    return table


# --- Q21 health insurance ---
def q21(version) -> Table:
    """Q21 Health Insurance (spec Q21): every client (4.04 is collected for children too).
    Rows 2-11 each source yes; 12 no source yes and InsuranceFromAnySource 0/1; 13 no source
    and 8/9; 14 no record, or no source and 99/blank, and in C stayers required to have an
    annual assessment without one; C15 stayers not yet required (B15, D15 grayed); 16/17
    exactly one / more than one source yes (InsuranceFromAnySource not counted)."""
    report = version.report
    due = due_without_record(version)
    points = {
        "B": (Q(), Record(START)),
        "C": (stayer(report), Record(ANNUAL)),
        "D": (leaver(report), Record(EXIT)),
    }
    rows = [(i + 2, label) for i, (_source, label) in enumerate(INSURANCE)]
    rows += [
        (12, "No Health Insurance"),
        (13, DKPNTA_LABEL),
        (14, "Data not Collected"),
        (15, "Number of Stayers not yet Required to Have an Annual Assessment"),
        (16, "1 Source of Health Insurance"),
        (17, "More than 1 Source of Health Insurance"),
    ]
    table = Table(
        key="Q21",
        title="Health Insurance",
        columns=[
            ("B", "At Start"),
            ("C", "At Annual Assessment for Stayers"),
            ("D", "At Exit for Leavers"),
        ],
        rows=rows,
        grayed={"B15", "D15"},
        source=f"{SPEC} Q21; 4.04; Glossary Determining a Client's Relevant Annual Assessment",
    )
    for letter, (whom, record) in points.items():
        for i, (source, _label) in enumerate(INSURANCE):
            table.cells[f"{letter}{i + 2}"] = whom & record.yes(source)
        none_yes = ~record.any_yes(INSURANCE)
        answered = record.q(insurance_from_any_source__in=[0, 1])
        dk = record.q(insurance_from_any_source__in=[8, 9])
        table.cells[f"{letter}12"] = whom & none_yes & answered
        table.cells[f"{letter}13"] = whom & none_yes & dk
        not_collected = none_yes & ~answered & ~dk
        count = record.yes_count(INSURANCE)
        table.cells[f"{letter}16"] = whom & Q(Exact(count, 1))
        table.cells[f"{letter}17"] = whom & Q(GreaterThan(count, 1))
        if letter == "C":
            no_annual = Q(income_annual__isnull=True)
            table.cells["C14"] = whom & ((record.present & not_collected) | (no_annual & due))
            table.cells["C15"] = whom & no_annual & ~due
        else:
            table.cells[f"{letter}14"] = whom & not_collected
    return table


BUILDERS: dict = {
    "Q18": q18,
    "Q19a1": q19a1,
    "Q19a2": q19a2,
    "Q19b": q19b,
    "Q20a": q20a,
    "Q20b": q20b,
    "Q21": q21,
    "Q27g": q27g,
    "Q27h": q27h,
    "Q27i": q27i,
}
