"""APR Q12, Q13a1/b1/c1, Q14a/b, Q15, Q16, Q17 and Q24e: who was served.

Each cell is a ``Q`` over the counted (latest) stays of the "apr" universe, one aggregate
statement per table. The facts read from the records behind a stay (Disabilities, HealthAndDV,
IncomeBenefits) are derived once per version by ``update_person_records`` (one UPDATE after the
snapshot, ``reports.apr.derived``) into ``ReportFact`` columns: the condition masks and counts
(Q13, Q26e), the latest DV answers (Q14), the Q16 row and Q17 sources of the income records and
whether the annual assessment is due (Q16, Q17). The cells are plain column tests.

FY2026 notes (REFERENCE §1.5): Q10 (gender) was retired with the gender fields; sex is Q24e.
Row lists of Q12 and Q15 follow the FY2026 table shells as implemented by HUD's vendors
(greenriver hmis-warehouse ``fy2026``): Q12 has each race alone, every pair of the seven
categories, then three or more with and without Hispanic/Latina/o.
"""

from __future__ import annotations

from itertools import combinations

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual

from dataquality.rules import Context, income
from hmis.models import Disabilities, Enrollment, HealthAndDV, IncomeBenefits

from ..engine import Table, _statement_settings
from ..hud import ADULT_Q
from ..models import ReportFact
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
    return Q(**{RACE_CODES[code][0]: 1})


def exactly(codes) -> Q:
    q = Q()
    for code in RACE_CODES:
        q &= _selected(code) if code in codes else ~_selected(code)
    return q


def _race_count():
    total = Value(0)
    for column, _label in RACE_CODES.values():
        total = total + Case(When(**{column: 1}, then=Value(1)), default=Value(0))
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
        (DKPNTA_LABEL, none & Q(race_none__in=[8, 9])),
        ("Data Not Collected", none & ~Q(race_none__in=[8, 9])),
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
SUBSTANCE_USE = 10  # 4.10: 1 alcohol, 2 drugs (one condition each), 3 both (two conditions)


def has_condition(column: str, index: int) -> Q:
    """The condition mask ``column`` (``update_person_records``) has ``CONDITIONS[index]``."""
    return Q(GreaterThan(F(column).bitand(1 << index), 0))


def _conditions_table(key, title, column: str, who: Q, source: str) -> Table:
    rows = [
        (number, who & has_condition(column, i))
        for i, (number, _label, _dtype, _responses) in enumerate(CONDITIONS)
    ]
    return Table(
        key=key,
        title=title,
        columns=PERSON_COLUMNS,
        rows=[(n, label) for n, label, _t, _r in CONDITIONS],
        cells=cells(PERSON_Q, rows),
        source=source,
    )


def q13a1(version) -> Table:
    """Q13a1 conditions at start: Disabilities with DataCollectionStage 1 saying yes (the
    derived ``conditions_start``)."""
    return _conditions_table(
        "Q13a1",
        "Physical and Mental Health Conditions at Start",
        "conditions_start",
        Q(),
        f"{SPEC} Q13a1; 4.05–4.10",
    )


def q13b1(version) -> Table:
    """Q13b1 conditions at exit: leavers, records with DataCollectionStage 3
    (``conditions_exit``)."""
    return _conditions_table(
        "Q13b1",
        "Physical and Mental Health Conditions at Exit",
        "conditions_exit",
        leaver(version.report),
        f"{SPEC} Q13b1; 4.05–4.10",
    )


def q13c1(version) -> Table:
    """Q13c1 conditions for stayers: the records of the latest information date (any stage) on
    or before the report end (``conditions_latest``)."""
    return _conditions_table(
        "Q13c1",
        "Physical and Mental Health Conditions for Stayers",
        "conditions_latest",
        stayer(version.report),
        f"{SPEC} Q13c1; 4.05–4.10",
    )


def _yes(dtype: int, responses) -> str:
    codes = ", ".join(str(r) for r in responses)
    return f"disability_type = {dtype} AND disability_response IN ({codes})"


def _condition_sums(records: str) -> tuple[str, str]:
    """SQL of the mask and of the number of conditions of the stay's Disabilities ``records``
    (a condition on one grouped record): bit i when a record says yes to ``CONDITIONS[i]``;
    each type 4.05-4.10 once, 4.10 = 3 twice (spec Q13a2 instruction 4)."""

    def seen(test: str) -> str:
        return f"MAX(CASE WHEN {records} AND {test} THEN 1 ELSE 0 END)"

    mask = " + ".join(
        f"{1 << i} * {seen(_yes(dtype, responses))}"
        for i, (_n, _l, dtype, responses) in enumerate(CONDITIONS)
    )
    types: dict[int, list[int]] = {}
    for _n, _l, dtype, responses in CONDITIONS:
        types.setdefault(dtype, []).extend(responses)
    count = " + ".join(seen(_yes(dtype, responses)) for dtype, responses in types.items())
    count += f" + {seen(_yes(SUBSTANCE_USE, (3,)))}"
    return mask, count


def _health_part(version, stays: str) -> dict:
    """The Disabilities (Q13, Q26e) and HealthAndDV (Q14) part of ``update_person_records``:
    each counted stay joined (LEFT JOIN) to its Disabilities records grouped once (the latest
    dates by a window over the stay's records) and to its latest HealthAndDV record with a DV
    answer (``ROW_NUMBER``), instead of a correlated sub-select per cell.

    - ``conditions_start``/``_exit``/``_latest`` (masks, 0 without records): the stage-1
      records (Q13a1), the stage-3 records (Q13b1), the records of the latest information date
      on or before the report end, any stage (Q13c1; Q26e column C);
    - ``conditions_start_count``/``_exit_count``/``_stayer_count`` (Q13a2/b2/c2): the number
      of conditions of the stage-1 and stage-3 records and of the latest date's records of
      stages 1, 2 and 5 on or before the end (spec Q13c2);
    - ``dv_survivor``/``dv_when_occurred`` (Q14a/b): the latest record (then the latest
      updated, the highest id) dated on or before the end whose DomesticViolenceSurvivor is
      answered; NULL without one.
    """
    qn = connection.ops.quote_name
    disabilities = qn(Disabilities._meta.db_table)
    health = qn(HealthAndDV._meta.db_table)
    end = version.report.end
    sets = {
        "start": "data_collection_stage = 1",
        "exit": "data_collection_stage = 3",
        "latest": "information_date = latest",
        "stayer": "data_collection_stage IN (1, 2, 5) AND information_date = latest_stayer",
    }
    sums = {name: _condition_sums(records) for name, records in sets.items()}
    grouped = ", ".join(
        f"{sums[name][0]} AS {name}_mask, {sums[name][1]} AS {name}_n" for name in sums
    )
    condition_columns = {
        "conditions_start": "start_mask",
        "conditions_exit": "exit_mask",
        "conditions_latest": "latest_mask",
        "conditions_start_count": "start_n",
        "conditions_exit_count": "exit_n",
        "conditions_stayer_count": "stayer_n",
    }
    values = {column: f"COALESCE(d.{name}, 0)" for column, name in condition_columns.items()}
    values |= {"dv_survivor": "d.survivor", "dv_when_occurred": "d.when_occurred"}
    joins = (
        # The stay's Disabilities records, grouped once with their latest dates.
        f"LEFT JOIN (SELECT enrollment_id AS stay_id, {grouped} FROM ("
        "SELECT enrollment_id, information_date, data_collection_stage, disability_type, "
        "disability_response, "
        "MAX(CASE WHEN information_date <= %s THEN information_date END) "
        "OVER (PARTITION BY enrollment_id) AS latest, "
        "MAX(CASE WHEN information_date <= %s AND data_collection_stage IN (1, 2, 5) "
        "THEN information_date END) OVER (PARTITION BY enrollment_id) AS latest_stayer "
        f"FROM {disabilities} WHERE date_deleted IS NULL AND enrollment_id IN ({stays})"
        ") AS records GROUP BY enrollment_id) AS c ON c.stay_id = r.enrollment_id "
        # The stay's latest HealthAndDV record with a DV answer.
        "LEFT JOIN (SELECT enrollment_id AS stay_id, domestic_violence_survivor AS survivor, "
        "when_occurred, ROW_NUMBER() OVER (PARTITION BY enrollment_id "
        "ORDER BY information_date DESC, date_updated DESC, id DESC) AS position "
        f"FROM {health} WHERE date_deleted IS NULL AND information_date <= %s "
        f"AND domestic_violence_survivor IS NOT NULL AND enrollment_id IN ({stays})"
        ") AS h ON h.stay_id = r.enrollment_id AND h.position = 1 "
    )
    return {
        "with": [],
        "picked": "c.*, h.survivor, h.when_occurred",
        "joins": joins,
        "params": [end, end, end],
        "values": values,
    }


# --- Q14 Domestic Violence (4.11) ---
def _answer_rows(column: str, answers: list[tuple[str, tuple]]) -> list[tuple[int, str, Q]]:
    rows = [
        (i + 2, label, Q(**{f"{column}__in": codes})) for i, (label, codes) in enumerate(answers)
    ]
    rows.append(
        (
            len(rows) + 2,
            "Data Not Collected",
            Q(**{column: 99}) | Q(**{f"{column}__isnull": True}),
        )
    )
    rows.append((len(rows) + 2, "Total", Q()))
    return rows


def q14a(version) -> Table:
    """Q14a Domestic Violence History (spec Q14a): adults and heads, the latest 4.11 answer
    (``dv_survivor``, ``update_person_records``)."""
    rows = _answer_rows("dv_survivor", [("Yes", (1,)), ("No", (0,)), (DKPNTA_LABEL, (8, 9))])
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
    whose latest 4.11 answer is yes, by WhenOccurred of that record (``dv_when_occurred``)."""
    survivor = ADULT_OR_HOH & Q(dv_survivor=1)
    rows = _answer_rows(
        "dv_when_occurred",
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
    situation = "living_situation"
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
INFORMED = 1 << 15  # Q17 row 17: IncomeFromAnySource 0 or 1 (bits 0-14 are the sources)


def _range_code() -> Case:
    """The Q16 row (2-11) of an IncomeBenefits record, 0 when it is in none (a negative
    amount): the rows of ``income_rows`` are disjoint, 11 is "not ``ANSWERED``"."""
    whens = [When(q, then=Value(n)) for n, _label, q in income_rows() if n != 11]
    whens.append(When(~ANSWERED, then=Value(11)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _sources_mask():
    """Bit i: ``SOURCES[i]`` is 1 on the record; ``INFORMED``: IncomeFromAnySource 0 or 1."""
    total = Case(
        When(income_from_any_source__in=[0, 1], then=Value(INFORMED)),
        default=Value(0),
        output_field=IntegerField(),
    )
    for i, (column, _label) in enumerate(SOURCES):
        total = total + Case(
            When(**{column: 1}, then=Value(1 << i)), default=Value(0), output_field=IntegerField()
        )
    return total


def _income_part(version, stays: str) -> dict:
    """The Q16/Q17 part of ``update_person_records`` (after ``fill_income_records``): the Q16
    row and the Q17 source mask of the ``income_start``, ``income_annual`` and ``income_exit``
    records (each record coded once, a CTE joined three times), and ``income_annual_due``: the
    stay is in the set of the rule ``income.latest_annual_assessment`` over the counted stays
    (Glossary "Annual Assessment"), the set Q16 and Q17 computed in each table statement."""
    picked_records = " UNION ".join(
        f"SELECT income_{stage}_id FROM stays" for stage in ("start", "annual", "exit")
    )
    records = (
        IncomeBenefits.objects.filter(pk__in=RawSQL(picked_records, ()))  # noqa: S611
        .annotate(code=_range_code(), sources=_sources_mask())
        .values("pk", "code", "sources")
    )
    records_sql, records_params = records.query.sql_with_params()
    # Only stayers can be due (the rule keeps stays open on the report end): the rule looks up
    # the household's anniversary for each stay it is given.
    end = version.report.end
    stayers = f"{stays} WHERE exit_date IS NULL OR exit_date > %s"
    enrollments = Enrollment.objects.filter(pk__in=RawSQL(stayers, (end,)))  # noqa: S611
    due = income.latest_annual_assessment(enrollments, Context(as_of=end))
    due = due.values("pk")
    due_sql, due_params = due.query.sql_with_params()
    stages = {"start": "s", "annual": "a", "exit": "x"}
    values = {}
    for stage, alias in stages.items():
        values[f"income_range_{stage}"] = f"d.{alias}_code"
        values[f"income_sources_{stage}"] = f"d.{alias}_sources"
    values["income_annual_due"] = "d.due"
    picked = ", ".join(
        f"{alias}.code AS {alias}_code, {alias}.sources AS {alias}_sources"
        for alias in stages.values()
    )
    joins = " ".join(
        f"LEFT JOIN codes AS {alias} ON {alias}.id = r.income_{stage}_id"
        for stage, alias in stages.items()
    )
    return {
        "with": [
            (f"codes (id, code, sources) AS ({records_sql})", records_params),
            (f"due (id) AS ({due_sql})", due_params),
        ],
        "picked": f"{picked}, CASE WHEN due.id IS NULL THEN FALSE ELSE TRUE END AS due",
        "joins": f"{joins} LEFT JOIN due ON due.id = r.enrollment_id ",
        "params": [],
        "values": values,
    }


def update_person_records(version, extra_parts=()) -> None:
    """The Disabilities, HealthAndDV and IncomeBenefits columns of the version's counted APR
    rows (the rows every table counts) in ONE ``UPDATE`` (each row written once):
    ``_health_part`` (Q13, Q14, Q26e), ``_income_part`` (Q16, Q17) and ``extra_parts`` (the
    Q9 contact code, ``people.fill_person_records``, the step that runs it) joined to the rows.

    A part is a dict: ``with`` (CTEs and their parameters), ``joins`` (LEFT JOINs to the rows
    ``r`` of the CTE ``stays``) with ``params``, ``picked`` (their columns) and ``values``
    (column -> SQL over ``d``, the picked columns)."""
    qn = connection.ops.quote_name
    fact = qn(ReportFact._meta.db_table)
    key = [version.pk, UNIVERSE]
    # The counted rows, read once (a materialized CTE) by every part.
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    read = (
        f"stays AS {materialized}(SELECT id, enrollment_id, exit_date, income_start_id, "
        f"income_annual_id, income_exit_id FROM {fact} "
        "WHERE version_id = %s AND universe = %s AND counted)"
    )
    stays = "SELECT enrollment_id FROM stays"
    parts = [_health_part(version, stays), _income_part(version, stays), *extra_parts]
    ctes = [(read, key)] + [cte for part in parts for cte in part["with"]]
    values = ", ".join(f"{c} = {v}" for part in parts for c, v in part["values"].items())
    picked = ", ".join(part["picked"] for part in parts)
    joins = "".join(part["joins"] for part in parts)
    sql = (
        "WITH " + ", ".join(cte for cte, _p in ctes) + " "
        f"UPDATE {fact} AS f SET {values} "
        f"FROM (SELECT r.id AS fact_id, {picked} FROM stays AS r {joins}) AS d "
        "WHERE f.id = d.fact_id AND f.version_id = %s AND f.universe = %s"
    )
    params = [p for _cte, ps in ctes for p in ps]
    params += [p for part in parts for p in part["params"]] + key
    with connection.cursor() as cursor, _statement_settings(cursor):
        cursor.execute(sql, params)


class IncomeAt:
    """Filters on a counted stay's income record (4.02) at start, annual assessment and exit,
    as tests of the columns ``update_person_records`` derives.

    Start: the stage-1 record dated on the project start; exit: the stage-3 record dated on the
    exit (``income_start`` / ``income_exit``, ``reports.apr.income_records``; several records
    on that day: the latest updated); annual: the latest stage-5 record in the anniversary
    window (``income_annual``) of a stay the rule ``income.latest_annual_assessment`` finds due
    (Glossary "Annual Assessment"; ``income_annual_due``). ``range`` tests the Q16 row of the
    record (row 11 also without a record), ``source`` a bit of its Q17 source mask.
    """

    STAGES = ("start", "annual", "exit")

    def __init__(self):
        self.is_due = Q(income_annual_due=True)
        self.assessed = self.is_due & Q(income_annual__isnull=False)

    def range(self, stage: str, number: int) -> Q:
        q = Q(**{f"income_range_{stage}": number})
        if number == 11 and stage != "annual":  # answered nowhere includes "no record"
            q |= Q(**{f"income_range_{stage}__isnull": True})
        return self.is_due & q if stage == "annual" else q

    def source(self, stage: str, bit: int) -> Q:
        q = Q(GreaterThan(F(f"income_sources_{stage}").bitand(bit), 0))
        return self.is_due & q if stage == "annual" else q


def q16(version) -> Table:
    """Q16 Cash Income – Ranges (spec Q16): adults; B the stage-1 record dated on the start,
    C the latest annual assessment in its window for adult stayers due one (the rule
    ``income.latest_annual_assessment``), D the stage-3 record dated on the exit for leavers.
    C12 adult stayers not yet due; C13 due without an assessment in the window."""
    report = version.report
    at = IncomeAt()
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
    for number, _label, _q in income_rows():
        # Row 11, answered nowhere: no record, 99/blank, or "yes" without an amount (column C:
        # a record in the window that is not answered).
        table.cells[f"B{number}"] = ADULT_Q & at.range("start", number)
        table.cells[f"C{number}"] = adult_stayer & at.range("annual", number)
        table.cells[f"D{number}"] = adult_leaver & at.range("exit", number)
    table.cells["C12"] = adult_stayer & Q(income_annual_due=False)
    table.cells["C13"] = adult_stayer & is_due & ~assessed
    table.cells["B14"] = ADULT_Q
    table.cells["C14"] = adult_stayer
    table.cells["D14"] = adult_leaver
    return table


def q17(version) -> Table:
    """Q17 Cash Income – Sources (spec Q17): adults with each source marked yes (the source
    list of ``income.INCOME_SOURCES``), on the same records as Q16. Row 17: adults with an
    answered record (IncomeFromAnySource 0 or 1) both at start and at the annual assessment
    (C) or exit (D); B17 is grayed."""
    report = version.report
    at = IncomeAt()
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
    for i, (_column, _label) in enumerate(SOURCES):
        table.cells[f"B{i + 2}"] = ADULT_Q & at.source("start", 1 << i)
        table.cells[f"C{i + 2}"] = adult_stayer & at.source("annual", 1 << i)
        table.cells[f"D{i + 2}"] = adult_leaver & at.source("exit", 1 << i)
    informed = at.source("start", INFORMED)
    table.cells["C17"] = adult_stayer & informed & at.source("annual", INFORMED)
    table.cells["D17"] = adult_leaver & informed & at.source("exit", INFORMED)
    return table


# --- Q24e Sex (4.21, FY2026) ---
def q24e(version) -> Table:
    """Q24e Sex (spec Q24e, new in FY2026): every client, by household type."""
    rows = [
        (2, "Female", Q(sex=0)),
        (3, "Male", Q(sex=1)),
        (4, DKPNTA_LABEL, Q(sex__in=[8, 9])),
        (5, "Data Not Collected", Q(sex=99) | Q(sex__isnull=True)),
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


# Derived ReportFact columns of this module (run once per version, reports.apr.derived): filled
# by ``update_person_records``, run by ``people.fill_person_records`` with the Q9 contact code.
DERIVED: list = []
