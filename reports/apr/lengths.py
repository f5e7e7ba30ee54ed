"""APR lengths of time: Q22b, Q22c, Q22e, Q22f, Q22g and the youth versions Q27e, Q27j, Q27k,
Q27l (HUD CoC APR/ESG CAPER Programming Specifications FY2026 V1.0).

Four per-stay facts are each defined in ONE function here, so they can be switched to the
derived ``ReportFact`` columns once those are filled (``reports.apr.derived``):

- ``los_days``: the length of participation of Q22a1 (Glossary "Length of Stay": days from
  project start to the exit for leavers, to the day after the report end for stayers; ES
  night-by-night stays count their bed nights) -> ``F("los_days")``;
- ``youth``: spec "Client Types": a client aged 12-24 in a youth household (every member of
  known age is 0-24, at least one age known) -> ``Q(youth_household=True, age 12-24)``;
- ``housing_date``: the person's valid housing move-in date (Glossary "Handling Housing
  Move-In Dates"): the head's move-in date when it lies inside the head's stay and on or before
  the report end and the person had not left by then; a member who joined after it takes their
  own start date (the later of the two);
- ``homeless_start``: 3.917.3 [Approximate date this episode started], the head's answer for
  children (age <= 17, known age) who started on the head's start date.

``housing_date`` and ``homeless_start`` are filled once per version into the derived
``ReportFact`` columns of the same names (with ``housing_date_since_start``: only a head's
move-in on or after the report start) by ONE ``UPDATE`` (``fill_lengths``): a member's value is
that of the household's first head (by pk) whose move-in is valid for them, one correlated
sub-select on the head in ``ReportFact`` per member row, once per version instead of in every
cell. The cells then test the columns (days from one date column to another, a NULL test); the
averages and medians read them too. When a household has two or more heads (``several_heads``,
a data error HUD does not rule on), a day-range cell counts a member when ANY of its heads puts
it in the range (the ``Exists`` the cells always had): for those few rows the same UPDATE
evaluates each range cell by the per-head sub-selects (``_moved_in_by_heads``,
``_prior_days_by_heads``, ``_has_date_by_heads``) into the bits of ``heads_ranges``
(``_by_heads``); every other row is tested by the columns, which give the same answer when
there is one head or none.

Averages and medians are ``Table.values`` computed by one aggregate statement per table
(``_stats``): on PostgreSQL ``AVG`` and ``percentile_cont(0.5)`` with a ``FILTER`` per cell; on
SQLite (development and tests only, where there is no ``percentile_cont``) the same rows are read
once and averaged in Python. Both are rounded half-up to 2 decimal places (spec "Exporting Report
Results to CSV" rule 10: an average of days may hold up to 4 decimal places).

Choices where the spec is not explicit (kept visible on purpose):

- Project type 7 with Pay for Success funding (2.06 = 35) is not treated as housing (the funder
  is not read), as in Q7a.
- Q22c/Q22f/Q27k read PSH and RRH (3, 13) only, as their "Relevant Data" says; Q22e/Q22g/Q27l
  read types 0, 1, 2, 3, 8, 9, 13 and treat 3, 9, 13 as permanent housing (instruction 3);
  other project types (SO, SSO, ...) are left out of Q22e/Q22g.
- Q22c's universe is taken literally: persons whose head moved in inside the report range (a
  head who moved in before the range is not in it), plus leavers of the range who never moved
  in (on or before the report end). Shell rows stop at "366 to 730 days": a person housed after
  more than 730 days is in row 11 (total) and the average, in no bucket.
- Q22e: a PH person not yet moved in goes to row 13 whatever their 3.917.3 answer (rows 12-14
  must add up to row 15). Q22g leaves out everyone without a 3.917.3 date ("exclude them from
  this question entirely"), row 3 included.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThanOrEqual

from hmis.models import Enrollment

from ..engine import DaysBetween, Table, _without_jit, day, facts
from ..hud import HOH_Q
from ..models import ReportFact
from . import subpopulations
from .common import HOUSEHOLD_COLUMNS, HOUSEHOLD_Q, SPEC, UNIVERSE, leaver, stayer
from .demographics import RACE_CODES, _race_count, _selected, exactly
from .outcomes import LENGTHS

CHILD = Q(age__lte=17)  # Q22e instruction 2b: known age <= 17, whatever the relationship
PH_TYPES = (3, 9, 13)  # Q22e instruction 3: permanent housing
MOVE_IN_TYPES = (3, 13)  # Q22c / Q22f "Relevant Data": PSH and RRH
PRIOR_TYPES = (0, 1, 2, 3, 8, 9, 13)  # Q22e / Q22g "Relevant Data"

# Q22c rows 2-10 (Q27k the same); Q22e rows 2-11 add "731 days or more" (Q27l the same).
TO_HOUSING = [
    (2, "7 days or less", 0, 7),
    (3, "8 to 14 days", 8, 14),
    (4, "15 to 21 days", 15, 21),
    (5, "22 to 30 days", 22, 30),
    (6, "31 to 60 days", 31, 60),
    (7, "61 to 90 days", 61, 90),
    (8, "91 to 180 days", 91, 180),
    (9, "181 to 365 days", 181, 365),
    (10, "366 to 730 days (1-2 Yrs)", 366, 730),
]
PRIOR_TO_HOUSING = TO_HOUSING + [(11, "731 days or more", 731, None)]

# Q22f / Q22g columns: each race/ethnicity alone, then the two multiracial columns and unknown.
HISPANIC = 6
RACE_COLUMNS = [
    ("B", RACE_CODES[1][1], exactly({1})),
    ("C", RACE_CODES[2][1], exactly({2})),
    ("D", RACE_CODES[3][1], exactly({3})),
    ("E", RACE_CODES[HISPANIC][1], exactly({HISPANIC})),
    ("F", RACE_CODES[7][1], exactly({7})),
    ("G", RACE_CODES[4][1], exactly({4})),
    ("H", RACE_CODES[5][1], exactly({5})),
    (
        "I",
        "At Least 1 Race and Hispanic/Latina/o",
        _selected(HISPANIC) & Q(GreaterThanOrEqual(_race_count(), 2)),
    ),
    (
        "J",
        "Multi-racial (does not include Hispanic/Latina/o)",
        ~_selected(HISPANIC) & Q(GreaterThanOrEqual(_race_count(), 2)),
    ),
    ("K", "Unknown (Doesn't Know, Prefers not to Answer, Data not Collected)", exactly(set())),
]


def _in(value, low: int, high: int | None) -> Q:
    q = Q(GreaterThanOrEqual(value, Value(low)))
    if high is not None:
        q &= Q(LessThanOrEqual(value, Value(high)))
    return q


# --- the four per-stay facts (one function each; see the module docstring) ---
def los_days(version):
    """Q22a1's length of participation in days (integer): the derived ``ReportFact.los_days``
    (``reports.apr.flags.fill_los_days``: bed nights for ES night-by-night, else days from the
    start to the exit or the day after the report end), filled once per version."""
    return F("los_days")


def youth(version) -> Q:
    """Spec "Client Types": age 12-24 in a youth household (every member of known age 0-24, at
    least one age known). The Q27 tables' one definition (``subpopulations.youth``, an
    uncorrelated set of rows shared by every cell); it follows the switch to the
    ``youth_household`` column there."""
    return subpopulations.youth(version)


def _own_move_in(version, since: datetime.date | None = None) -> Q:
    """The row is a head whose own move-in date is valid: inside the stay, on or before the
    report end (and on or after ``since``). Never NULL, so it can be negated safely."""
    q = (
        HOH_Q
        & Q(
            move_in_date__isnull=False,
            move_in_date__gte=F("entry_date"),
            move_in_date__lte=version.report.end,
        )
        & (Q(exit_date__isnull=True) | Q(exit_date__gte=F("move_in_date")))
    )
    if since is not None:
        q &= Q(move_in_date__gte=since)
    return q


def _heads(version, since: datetime.date | None = None, move_in: bool = True):
    """The head's row of the outer row's household; with ``move_in``, only when the head's
    move-in date is valid and the outer person had not exited before it."""
    heads = facts(version, UNIVERSE).filter(
        household_id=OuterRef("household_id"),
        source_id=OuterRef("source_id"),
        relationship_to_hoh=1,
    )
    if not move_in:
        return heads.order_by()
    end = version.report.end
    heads = heads.filter(
        Q(exit_date__isnull=True) | Q(exit_date__gte=F("move_in_date")),
        move_in_date__isnull=False,
        move_in_date__gte=F("entry_date"),
        move_in_date__lte=end,
    ).filter(move_in_date__lte=Coalesce(OuterRef("exit_date"), day(end)))
    if since is not None:
        heads = heads.filter(move_in_date__gte=since)
    return heads.order_by()


def _member_housed_on():
    """Inside ``_heads``: the outer person's housing date, the later of the head's move-in and
    the person's start (a member who joined after the move-in is housed on their start)."""
    return Greatest(F("move_in_date"), OuterRef("entry_date"))


def housing_date(version, since: datetime.date | None = None):
    """The person's valid housing move-in date, or NULL (Glossary "Handling Housing Move-In
    Dates"), as one value per row: a head's own valid move-in date; for a member, the later of
    the head's valid move-in date M and the person's start, provided the person had not exited
    before M (the household's first such head by pk). Filled once per version into
    ``housing_date`` (and, with ``since`` = the report start, ``housing_date_since_start``) by
    ``fill_lengths``; the tables read the columns (``_housing``)."""
    member = Subquery(
        _heads(version, since).annotate(h=_member_housed_on()).order_by("pk").values("h")[:1],
        output_field=DateField(),
    )
    return Case(
        When(_own_move_in(version, since), then=F("move_in_date")),
        When(HOH_Q, then=Value(None, output_field=DateField())),
        default=member,
        output_field=DateField(),
    )


def homeless_start(version):
    """3.917.3 DateToStreetESSH: the person's own, or for children (known age <= 17) the head's
    when the child started on the head's start date (Q22e instruction 2); else NULL. Filled
    once per version into ``homeless_start`` by ``fill_lengths``."""
    head_answer = Subquery(
        _heads(version, move_in=False)
        .filter(entry_date=OuterRef("entry_date"))
        .order_by("pk")
        .values("enrollment__date_to_street_essh")[:1],
        output_field=DateField(),
    )
    return Case(
        When(CHILD, then=head_answer),
        default=F("enrollment__date_to_street_essh"),
        output_field=DateField(),
    )


def _housing(since_start: bool = False) -> F:
    """The derived housing date (``housing_date``): with ``since_start``, only a head's move-in
    on or after the report start counts (Q22c's universe)."""
    return F("housing_date_since_start" if since_start else "housing_date")


def _housed_on() -> Case:
    """Q22e instruction 3: PH (3, 9, 13) persons are housed on their housing date, persons of
    the other types on their project start."""
    return Case(
        When(project_type__in=PH_TYPES, then=_housing()),
        default=F("entry_date"),
        output_field=DateField(),
    )


def _prior_days():
    """Q22e: days from the 3.917.3 date (``homeless_start``) to housing (``_housed_on``)."""
    return DaysBetween(_housed_on(), F("homeless_start"))


# Households with several heads (``several_heads``): which range cells hold for each of their
# rows, as bits of ``heads_ranges`` (``fill_lengths``): Q22c's rows 2-10, Q22e's rows 2-11,
# Q22e row 12 (any length) and Q22g's "has a 3.917.3 date".
MOVE_IN_BITS = {n: 1 << n for n, _label, _low, _high in TO_HOUSING}
PRIOR_BITS = {n: 1 << (16 + n) for n, _label, _low, _high in PRIOR_TO_HOUSING}
HOUSED_BIT, HAS_DATE_BIT = 1 << 28, 1 << 29


def _by_heads(columns: Q, bit: int) -> Q:
    """``columns`` (a test of the derived columns, never NULL) for the rows of households with
    at most one head; for the rows of households with several heads, whether any head puts
    the row in (the per-head sub-selects, stored as ``bit`` of ``heads_ranges``)."""
    several = Q(several_heads=True)
    return (~several & columns) | (
        several & Q(GreaterThan(F("heads_ranges").bitand(bit), Value(0)))
    )


def _moved_in(version, types, since_start: bool = False) -> Q:
    """Housed, i.e. the housing-date column is set (some head's valid move-in <=> a first
    one, whatever the number of heads)."""
    column = _housing(since_start).name
    return Q(project_type__in=types) & Q(**{f"{column}__isnull": False})


def _moved_in_by_heads(version, low: int, high: int | None) -> Q:
    """Housed ``low``..``high`` days after the start, the head's move-in on or after the report
    start (Q22c), by the sub-selects on the household's heads: a head by its own columns, a
    member by ONE correlated sub-select on its heads (``_heads``): any of them may put it in."""
    since = version.report.start
    own = _own_move_in(version, since) & _in(
        DaysBetween(F("move_in_date"), F("entry_date")), low, high
    )
    member = (
        _heads(version, since)
        .annotate(d=DaysBetween(_member_housed_on(), OuterRef("entry_date")))
        .filter(_in(F("d"), low, high))
    )
    return own | (~HOH_Q & Exists(member))


def _moved_in_days(version, n: int) -> Q:
    """Q22c row ``n``: PSH/RRH persons housed ``low``..``high`` days after their start (the
    head's move-in on or after the report start): the housing-date column."""
    _n, _label, low, high = next(row for row in TO_HOUSING if row[0] == n)
    days = Coalesce(DaysBetween(_housing(since_start=True), F("entry_date")), Value(-1))
    return Q(project_type__in=MOVE_IN_TYPES) & _by_heads(_in(days, low, high), MOVE_IN_BITS[n])


def _prior_days_by_heads(version, low: int = 0, high: int | None = None) -> Q:
    """Q22e: days from 3.917.3 to housing are ``low``..``high`` by the sub-selects on the
    household's heads (any head may put the row in; the definitions of ``homeless_start`` and
    ``housing_date``): PH (3, 9, 13) persons are housed on their housing date, persons of other
    types on their start."""
    own_start = F("enrollment__date_to_street_essh")
    ph = Q(project_type__in=PH_TYPES)
    # PH adults: a head by its own move-in, a member by the head's.
    head = _own_move_in(version) & _in(
        Coalesce(DaysBetween(F("move_in_date"), own_start), Value(-1)), low, high
    )
    member = (
        _heads(version)
        .annotate(d=DaysBetween(_member_housed_on(), OuterRef("enrollment__date_to_street_essh")))
        .filter(_in(F("d"), low, high))
    )
    # PH children: the head's move-in and the head's 3.917.3 (same start only).
    child = (
        _heads(version)
        .filter(entry_date=OuterRef("entry_date"))
        .annotate(d=DaysBetween(_member_housed_on(), F("enrollment__date_to_street_essh")))
        .filter(_in(F("d"), low, high))
    )
    # Other types: housed on the start.
    adult_other = _in(Coalesce(DaysBetween(F("entry_date"), own_start), Value(-1)), low, high)
    child_other = (
        _heads(version, move_in=False)
        .filter(entry_date=OuterRef("entry_date"))
        .annotate(d=DaysBetween(OuterRef("entry_date"), F("enrollment__date_to_street_essh")))
        .filter(_in(F("d"), low, high))
    )
    housed_ph = (~CHILD & (head | (~HOH_Q & Exists(member)))) | (CHILD & Exists(child))
    housed_other = (~CHILD & adult_other) | (CHILD & Exists(child_other))
    return (ph & housed_ph) | (~ph & housed_other)


def _has_date_by_heads(version) -> Q:
    """Q22g: the person has a 3.917.3 date: their own, or for a child any head's who started
    on the same day (the sub-selects on the household's heads)."""
    return (~CHILD & Q(enrollment__date_to_street_essh__isnull=False)) | (
        CHILD
        & Exists(
            _heads(version, move_in=False).filter(
                entry_date=OuterRef("entry_date"), enrollment__date_to_street_essh__isnull=False
            )
        )
    )


def _prior_days_in(version, n: int | None = None) -> Q:
    """Q22e row ``n`` (any length by default, row 12): days from 3.917.3 to housing
    (``_prior_days``: the derived ``homeless_start`` and housing date) in the row's range."""
    if n is None:
        low, high, bit = 0, None, HOUSED_BIT
    else:
        _n, _label, low, high = next(row for row in PRIOR_TO_HOUSING if row[0] == n)
        bit = PRIOR_BITS[n]
    days = Coalesce(_prior_days(), Value(-1))
    return Q(project_type__in=PRIOR_TYPES) & _by_heads(_in(days, low, high), bit)


# --- the derived columns: one fill step per version (reports.apr.derived) ---
def fill_lengths(version) -> None:
    """The module's derived columns in ONE ``UPDATE ... FROM`` over the version's counted rows (each
    whole-table UPDATE rewrites every row: one statement, not one per column), joined to the
    row's enrollment (3.917.3) and its household's grouped heads (as ``update_by_household``):
    ``several_heads``; ``housing_date``, ``housing_date_since_start`` and ``homeless_start``
    as ``housing_date`` and ``homeless_start`` define them (their correlated sub-select on the
    head, by the ``(version, universe, household_id)`` index, runs for members of households
    with a head's move-in and for children only); ``heads_ranges`` for the rows of households
    with several heads only (``_by_heads``). PostgreSQL and SQLite (3.33+)."""
    # Households with several heads: each range cell by the per-head sub-selects (a bit each).
    cells = [
        (bit, _moved_in_by_heads(version, low, high))
        for bit, low, high in _ranges(TO_HOUSING, MOVE_IN_BITS)
    ]
    cells += [
        (bit, _prior_days_by_heads(version, low, high))
        for bit, low, high in _ranges(PRIOR_TO_HOUSING, PRIOR_BITS)
    ]
    cells += [
        (HOUSED_BIT, _prior_days_by_heads(version)),
        (HAS_DATE_BIT, _has_date_by_heads(version)),
    ]
    bits = [Case(When(q, then=Value(bit)), default=Value(0)) for bit, q in cells]
    rows = facts(version, UNIVERSE).annotate(
        housing_date_=housing_date(version),
        housing_date_since_start_=housing_date(version, since=version.report.start),
        homeless_start_=homeless_start(version),
        heads_ranges_=sum(bits[1:], bits[0]),
    )
    compiler = rows.query.get_compiler(connection=connection)
    values, params = {}, []
    for name, expression in rows.query.annotations.items():
        sql, sql_params = compiler.compile(expression)
        values[name.rstrip("_")] = sql
        params += sql_params
    table, enrollments = ReportFact._meta.db_table, Enrollment._meta.db_table
    # The row's enrollment (3.917.3) is the one join, named as its table (joined below).
    used = {alias for alias, count in rows.query.alias_refcount.items() if count}
    if used != {table, enrollments}:  # the UPDATE below provides these two tables only
        raise RuntimeError(f"fill_lengths: the definitions now read {sorted(used)}")
    # Only the counted rows are written: the tables and their averages read these columns on
    # the counted stay itself (the per-head sub-selects read the heads' own columns), and
    # every row written is a new row version (167,000 -> 130,000 at 200,000 clients).
    # Without a head's move-in date in the household the housing dates are NULL: their
    # sub-selects run only for the households with one (a third of the members); the range
    # bits only for households with several heads (a few hundred rows).
    for column in ("housing_date", "housing_date_since_start"):
        values[column] = f"CASE WHEN h.moved = 1 THEN {values[column]} END"
    values["heads_ranges"] = f"CASE WHEN h.heads > 1 THEN {values['heads_ranges']} END"
    values["several_heads"] = "CASE WHEN h.heads > 1 THEN TRUE ELSE FALSE END"
    assignments = ", ".join(f"{column} = {sql}" for column, sql in values.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} "
            f"FROM {enrollments}, (SELECT household_id, source_id, "
            "SUM(CASE WHEN relationship_to_hoh = 1 THEN 1 ELSE 0 END) AS heads, "
            "MAX(CASE WHEN relationship_to_hoh = 1 AND move_in_date IS NOT NULL "
            "THEN 1 ELSE 0 END) AS moved "
            f"FROM {table} WHERE version_id = %s AND universe = %s "
            "GROUP BY household_id, source_id) AS h "
            f"WHERE {enrollments}.id = {table}.enrollment_id "
            f"AND {table}.version_id = %s AND {table}.universe = %s AND {table}.counted "
            f"AND h.household_id = {table}.household_id AND h.source_id = {table}.source_id",
            [*params, version.pk, UNIVERSE, version.pk, UNIVERSE],
        )


def _ranges(rows, bits):
    return [(bits[n], low, high) for n, _label, low, high in rows]


# --- averages and medians: one aggregate statement per table ---
def _round(value) -> float:
    """Spec CSV rule 10: days averages may hold up to 4 decimals; we give 2, half up."""
    if value is None:
        return 0
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _median(values: list) -> float | None:
    if not values:
        return None
    values = sorted(values)
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def _stats(version, days, groups: dict[str, Q], base: Q | None = None) -> dict[str, tuple]:
    """(average, median) of ``days`` over the counted rows of each group, rounded (rule 10).

    One statement: on PostgreSQL ``AVG`` and ``percentile_cont(0.5)`` with a ``FILTER`` per
    group over the rows' (days, flags); on SQLite the same rows are read once and aggregated in
    Python (SQLite has no percentile function; it is only the development/test database).
    """
    names = {key: f"g_{i}" for i, key in enumerate(groups)}
    flags = {
        names[key]: ExpressionWrapper(q, output_field=BooleanField()) for key, q in groups.items()
    }
    rows = (
        facts(version, UNIVERSE)
        .filter(counted=True)
        .filter(base if base is not None else Q())
        .order_by()
        .annotate(n=days)
        .filter(n__isnull=False)
        .annotate(**flags)
        .values("n", *flags)
    )
    result = {}
    if connection.vendor == "postgresql":
        sql, params = rows.query.sql_with_params()
        qn = connection.ops.quote_name
        parts = []
        for name in flags:
            where = f"FILTER (WHERE CAST({qn(name)} AS BOOLEAN))"
            parts.append(f"AVG({qn('n')}) {where}")
            parts.append(f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {qn('n')}) {where}")
        with connection.cursor() as cursor, _without_jit(cursor):
            cursor.execute(f"SELECT {', '.join(parts)} FROM ({sql} OFFSET 0) {qn('s')}", params)
            values = cursor.fetchone()
        for i, key in enumerate(groups):
            result[key] = (_round(values[2 * i]), _round(values[2 * i + 1]))
        return result
    lists = {key: [] for key in groups}
    for row in rows.values_list("n", *flags):
        for i, key in enumerate(groups):
            if row[i + 1]:
                lists[key].append(row[0])
    for key, found in lists.items():
        average = sum(found) / len(found) if found else None
        result[key] = (_round(average), _round(_median(found)))
    return result


def _cells(columns, rows) -> dict[str, Q]:
    return {f"{letter}{number}": cq & rq for letter, cq in columns for number, rq in rows}


# --- Q22b / Q27j Average and Median Length of Participation ---
def _average_participation(version, key: str, title: str, who: Q, source: str) -> Table:
    report = version.report
    # Instruction 1a: stays with a start after their exit are left out.
    sane = Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date"))
    stats = _stats(
        version,
        los_days(version),
        {"B": leaver(report), "C": stayer(report)},
        base=who & sane,
    )
    table = Table(
        key=key,
        title=title,
        columns=[("B", "Leavers"), ("C", "Stayers")],
        rows=[(2, "Average Length"), (3, "Median Length")],
        source=source,
    )
    for letter, (average, median) in stats.items():
        table.values[f"{letter}2"] = average
        table.values[f"{letter}3"] = median
    return table


def q22b(version) -> Table:
    """Q22b Average and Median Length of Participation in Days (spec Q22b): Q22a1's length of
    each counted stay, B leavers, C stayers; stays starting after their exit left out."""
    return _average_participation(
        version,
        "Q22b",
        "Average and Median Length of Participation in Days",
        Q(),
        f"{SPEC} Q22b; Glossary Length of Stay",
    )


def q27j(version) -> Table:
    """Q27j Average and Median Length of Participation in Days - Youth (spec Q27j: Q22b with
    the youth filter)."""
    return _average_participation(
        version,
        "Q27j",
        "Average and Median Length of Participation in Days - Youth",
        youth(version),
        f"{SPEC} Q27j (Q22b for youth); Client Types",
    )


# --- Q27e Length of Participation - Youth ---
def q27e(version) -> Table:
    """Q27e Length of Participation - Youth (spec Q27e: Q22a1 with the youth filter)."""
    report = version.report
    days = los_days(version)
    who = youth(version)
    rows = [(n, _in(days, low, high)) for n, _label, low, high in LENGTHS] + [(12, Q())]
    columns = [("B", who), ("C", who & leaver(report)), ("D", who & stayer(report))]
    return Table(
        key="Q27e",
        title="Length of Participation - Youth",
        columns=[("B", "Total"), ("C", "Leavers"), ("D", "Stayers")],
        rows=[(n, label) for n, label, _l, _h in LENGTHS] + [(12, "Total")],
        cells=_cells(columns, rows),
        source=f"{SPEC} Q27e (Q22a1 for youth); Glossary Length of Stay; Client Types",
    )


# --- Q22c / Q27k / Q22f: project start to housing move-in ---
def _move_in(version):
    """(days from start to move-in, moved in inside the range, exited without move-in)."""
    report = version.report
    days = DaysBetween(_housing(since_start=True), F("entry_date"))
    ph = Q(project_type__in=MOVE_IN_TYPES)
    moved_in = ph & _moved_in(version, MOVE_IN_TYPES, since_start=True)
    never = ph & leaver(report) & ~_moved_in(version, MOVE_IN_TYPES)
    return days, moved_in, never


def _to_move_in(version, key: str, title: str, who: Q, source: str) -> Table:
    days, moved_in, never = _move_in(version)
    ph = Q(project_type__in=MOVE_IN_TYPES)
    rows = [(n, ph & _moved_in_days(version, n)) for n, _label, _low, _high in TO_HOUSING]
    rows += [(11, moved_in), (13, never), (14, moved_in | never)]
    columns = [(letter, who & q) for letter, q in HOUSEHOLD_Q]
    table = Table(
        key=key,
        title=title,
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _l, _h in TO_HOUSING]
        + [
            (11, "Total (persons moved into housing)"),
            (12, "Average length of time to housing"),
            (13, "Persons who were exited without move-in"),
            (14, "Total persons"),
        ],
        cells=_cells(columns, rows),
        source=source,
    )
    stats = _stats(version, days, dict(columns), base=moved_in)
    for letter, (average, _median) in stats.items():
        table.values[f"{letter}12"] = average
    return table


def q22c(version) -> Table:
    """Q22c Length of Time between Project Start Date and Housing Move-in Date (spec Q22c):
    PSH/RRH persons whose head moved in inside the range, plus leavers who never moved in."""
    return _to_move_in(
        version,
        "Q22c",
        "Length of Time between Project Start Date and Housing Move-in Date",
        Q(),
        f"{SPEC} Q22c; Glossary Handling Housing Move-In Dates",
    )


def q27k(version) -> Table:
    """Q27k (spec Q27k: Q22c with the youth filter)."""
    return _to_move_in(
        version,
        "Q27k",
        "Length of Time between Project Start Date and Housing Move-in Date - Youth",
        youth(version),
        f"{SPEC} Q27k (Q22c for youth); Glossary Handling Housing Move-In Dates; Client Types",
    )


def _race_table(version, key, title, moved_label, other_label, moved, other, days, source):
    rows = [(2, moved), (3, other)]
    columns = [(letter, q) for letter, _label, q in RACE_COLUMNS]
    table = Table(
        key=key,
        title=title,
        columns=[(letter, label) for letter, label, _q in RACE_COLUMNS],
        rows=[
            (2, moved_label),
            (3, other_label),
            (4, "Average time to Move-In"),
            (5, "Median time to Move-In"),
        ],
        cells=_cells(columns, rows),
        source=source,
    )
    stats = _stats(version, days, dict(columns), base=moved)
    for letter, (average, median) in stats.items():
        table.values[f"{letter}4"] = average
        table.values[f"{letter}5"] = median
    return table


def q22f(version) -> Table:
    """Q22f Q22c by race and ethnicity (spec Q22f): columns as Q12's single races, at least one
    race with Hispanic/Latina/o, multiracial without, unknown; rows 4/5 average and median."""
    days, moved_in, never = _move_in(version)
    return _race_table(
        version,
        "Q22f",
        "Length of Time between Project Start Date and Housing Move-in Date by Race and Ethnicity",
        "Persons Moved Into Housing",
        "Persons Exited Without Move-In",
        moved_in,
        never,
        days,
        f"{SPEC} Q22f; Glossary Race and Ethnicity, Handling Housing Move-In Dates",
    )


# --- Q22e / Q27l / Q22g: 3.917.3 date homelessness started to housing ---
def _prior(version):
    """(days from 3.917.3 to housing, housed with a valid date, not yet moved in, no date)."""
    in_types = Q(project_type__in=PRIOR_TYPES)
    ph = Q(project_type__in=PH_TYPES)
    days = _prior_days()
    housed = _prior_days_in(version)
    waiting = ph & ~_moved_in(version, PH_TYPES)
    no_date = in_types & ~waiting & ~housed
    return days, housed, waiting, no_date


def _prior_to_housing(version, key: str, title: str, who: Q, source: str) -> Table:
    _days, housed, waiting, no_date = _prior(version)
    rows = [(n, _prior_days_in(version, n)) for n, _label, _low, _high in PRIOR_TO_HOUSING]
    rows += [(12, housed), (13, waiting), (14, no_date), (15, housed | waiting | no_date)]
    columns = [(letter, who & q) for letter, q in HOUSEHOLD_Q]
    return Table(
        key=key,
        title=title,
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _l, _h in PRIOR_TO_HOUSING]
        + [
            (12, "Total (persons moved into housing)"),
            (13, "Not yet moved into housing"),
            (14, "Data not collected"),
            (15, "Total persons"),
        ],
        cells=_cells(columns, rows),
        source=source,
    )


def q22e(version) -> Table:
    """Q22e Length of Time Prior to Housing - based on 3.917 Date Homelessness Started (spec
    Q22e): from 3.917.3 to the move-in (PH) or the project start (other residential types)."""
    return _prior_to_housing(
        version,
        "Q22e",
        "Length of Time Prior to Housing - based on 3.917 Date Homelessness Started",
        Q(),
        f"{SPEC} Q22e; 3.917.3; Glossary Handling Housing Move-In Dates",
    )


def q27l(version) -> Table:
    """Q27l (spec Q27l: Q22e with the youth filter)."""
    return _prior_to_housing(
        version,
        "Q27l",
        "Length of Time Prior to Housing - based on 3.917 Date Homelessness Started - Youth",
        youth(version),
        f"{SPEC} Q27l (Q22e for youth); 3.917.3; Client Types",
    )


def q22g(version) -> Table:
    """Q22g Q22e by race and ethnicity (spec Q22g): persons without a usable 3.917.3 date are
    left out entirely; row 3 PH persons not yet moved in; rows 4/5 average and median."""
    days, housed, waiting, _no_date = _prior(version)
    has_date = _by_heads(Q(homeless_start__isnull=False), HAS_DATE_BIT)
    return _race_table(
        version,
        "Q22g",
        "Length of Time Prior to Housing by Race and Ethnicity - based on 3.917 Date "
        "Homelessness Started",
        "Persons Moved Into Housing",
        "Persons Not Yet Moved Into Housing",
        housed,
        waiting & has_date,
        days,
        f"{SPEC} Q22g; 3.917.3; Glossary Race and Ethnicity, Handling Housing Move-In Dates",
    )


# Derived ReportFact columns of this module (run once per version, reports.apr.derived).
DERIVED: list = [fill_lengths]

BUILDERS: dict = {
    "Q22b": q22b,
    "Q22c": q22c,
    "Q22e": q22e,
    "Q22f": q22f,
    "Q22g": q22g,
    "Q27e": q27e,
    "Q27j": q27j,
    "Q27k": q27k,
    "Q27l": q27l,
}
