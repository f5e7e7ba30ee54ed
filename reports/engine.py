"""The set-based machinery every report shares.

A build works in three steps, each a handful of statements over whole tables:

1. ``snapshot``: ``INSERT INTO reports_reportfact ... SELECT`` the enrollments of the report's
   universe (e.g. "present in an ES/TH/SH on the PIT night", "active in the APR range") with
   what every table needs (age, exit date, move-in date, project type, the client's values).
2. ``set_household_types`` and ``mark_counted``: two UPDATEs over those rows (the glossary's
   household type from the members' ages; which enrollment is counted for each client). The
   APR computes both in the snapshot's INSERT instead (``snapshot(computed=...)``, window
   functions), with the per-stay columns of ``reports.apr.derived``.
3. ``count_table``: one aggregate query per HUD table. A cell is an AND of conditions (its row
   and its column); each condition is evaluated once per row, the rows are grouped by those
   values and each cell sums its groups (``_grouped_counts``); where a join can repeat a row,
   or a table counts every stay, each cell counts distinct clients with a ``FILTER``
   (``_flag_counts``). A cell's drill-down is the same ``Q`` over the same rows.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, FieldError
from django.db import connection, models
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import Exists, RawSQL, Subquery, Window
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, RowNumber
from django.db.models.lookups import Exact, GreaterThan

from hmis.models import Enrollment

from .models import Report, ReportFact, ReportVersion

ADULT, CHILD = 18, 18  # age >= 18 is an adult; < 18 a child (glossary "Age")

# Household types (glossary "Household Type"): APR column order C, D, E, F.
WITHOUT_CHILDREN, WITH_CHILDREN_AND_ADULTS, ONLY_CHILDREN, UNKNOWN_HOUSEHOLD = 1, 2, 3, 4
HOUSEHOLD_TYPES = {
    WITHOUT_CHILDREN: "Without Children",
    WITH_CHILDREN_AND_ADULTS: "With Children and Adults",
    ONLY_CHILDREN: "With Only Children",
    UNKNOWN_HOUSEHOLD: "Unknown Household Type",
}


def day(value: datetime.date) -> Value:
    return Value(value, output_field=models.DateField())


class DaysBetween(Func):
    """Whole days from ``earlier`` to ``later`` (NULL when either is NULL), as an integer."""

    output_field = IntegerField()

    def __init__(self, later, earlier):
        super().__init__(later, earlier)

    def as_sql(self, compiler, connection, **extra):
        later, earlier = self.get_source_expressions()
        later_sql, later_params = compiler.compile(later)
        earlier_sql, earlier_params = compiler.compile(earlier)
        if connection.vendor == "sqlite":
            sql = f"CAST(julianday({later_sql}) - julianday({earlier_sql}) AS INTEGER)"
        else:  # PostgreSQL: date - date is an integer number of days
            sql = f"(({later_sql})::date - ({earlier_sql})::date)"
        return sql, (*later_params, *earlier_params)


def age_at(reference) -> Case:
    """Whole years between the client's DOB and ``reference`` (a birthday-based age, §4.4)."""
    dob = "client__dob"
    birthday_not_reached = GreaterThan(ExtractMonth(dob), ExtractMonth(reference)) | (
        Exact(ExtractMonth(dob), ExtractMonth(reference))
        & GreaterThan(ExtractDay(dob), ExtractDay(reference))
    )
    return Case(
        When(client__dob__isnull=True, then=Value(None)),
        default=ExtractYear(reference)
        - ExtractYear(dob)
        - Case(When(birthday_not_reached, then=Value(1)), default=Value(0)),
        output_field=models.IntegerField(),
    )


def live_exit_date() -> Case:
    """The exit date, ignoring exits deleted in the source (HUD's DateDeleted)."""
    return Case(
        When(exit__date_deleted__isnull=True, then=F("exit__exit_date")),
        default=Value(None),
        output_field=models.DateField(),
    )


def scope_enrollments(report: Report):
    """Live enrollments of live clients in the report's projects (its scope)."""
    return Enrollment.objects.live().filter(
        coc=report.coc,
        project__agency_project__in=report.projects.all(),
        project__date_deleted__isnull=True,
        client__date_deleted__isnull=True,
    )


# Client values (3.03 DOB quality, 3.06 Sex, 3.04 Race and Ethnicity, 3.07 Veteran Status) the
# tables test in many cells, copied with the row: a cell then reads its own row instead of every
# table joining the 200,000 clients (a scan and a hash of the whole table per table).
CLIENT_COLUMNS = (
    "dob_data_quality",
    "sex",
    "am_ind_ak_native",
    "asian",
    "black_af_american",
    "hispanic_latinao",
    "mid_east_n_african",
    "native_hi_pacific",
    "white",
    "race_none",
    "veteran_status",
)

# Enrollment values (3.08 Disabling Condition, 3.917 Prior Living Situation, 4.13 Date of
# Engagement) and the exit's destination (3.12, 3.12.A), copied for the same reason: the joins
# they replace read the 400,000 enrollments and 300,000 exits for each table.
ENROLLMENT_COLUMNS = (
    "disabling_condition",
    "living_situation",
    "los_under_threshold",
    "previous_street_essh",
    "date_to_street_essh",
    "times_homeless_past_three_years",
    "months_homeless_past_three_years",
    "date_of_engagement",
)
EXIT_COLUMNS = ("destination", "destination_subsidy_type")

FACT_COLUMNS = (
    "enrollment_id",
    "client_id",
    "project_id",
    "agency_id",
    "source_id",
    "household_id",
    "personal_id",
    "hud_enrollment_id",
    "project_type",
    "relationship_to_hoh",
    "entry_date",
    "exit_date",
    "move_in_date",
    "age",
    *CLIENT_COLUMNS,
    *ENROLLMENT_COLUMNS,
    *EXIT_COLUMNS,
)


# The snapshot's selected values, in the order of ``version``, ``universe``, ``counted`` and
# ``FACT_COLUMNS`` (the INSERT's columns).
SELECTED_ALIASES = (
    "f_version",
    "f_universe",
    "f_counted",
    "f_enrollment",
    "f_client",
    "f_project",
    "f_agency",
    "f_source",
    "f_household",
    "f_personal",
    "f_hud_enrollment",
    "f_project_type",
    "f_relationship",
    "f_entry",
    "f_exit",
    "f_move_in",
    "f_age",
    *(f"f_{column}" for column in (*CLIENT_COLUMNS, *ENROLLMENT_COLUMNS, *EXIT_COLUMNS)),
)


def snapshot(
    version: ReportVersion,
    universe: str,
    enrollments,
    age_reference,
    computed: dict[str, tuple[str, list]] | None = None,
    annotations: dict | None = None,
    whole: bool = False,
) -> int:
    """Copy ``enrollments`` into the version's rows with one INSERT ... SELECT; returns the count.

    ``enrollments`` must already carry the annotation ``exit_on`` (the live exit date).
    ``computed`` maps more ``ReportFact`` columns (or ``counted``) to an SQL expression and its
    parameters over the selected values (``f_age``, ``f_entry``, ``f_exit``, ``f_client``,
    ``f_enrollment``, ``f_household``, ``f_source``, ``f_relationship``, ``f_project_type``, ...),
    evaluated in an outer SELECT of the same INSERT that may use the window ``household`` (the
    rows of the same HouseholdID and source): a value that needs the whole universe (the
    household type, the latest stay) is then written with the row instead of by a later UPDATE
    of every row (each UPDATE writes a new version of every row: at 200,000 clients 4-6 s each,
    and the table the tables then read grows by as much). ``annotations`` maps more columns to
    expressions over the enrollment (``OuterRef("pk")``, ``OuterRef("entry_date")``,
    ``OuterRef("exit_on")`` in sub-selects), selected by the same INSERT for the same reason.
    """
    computed = computed or {}
    extra = {f"f_{name}": expression for name, expression in (annotations or {}).items()}
    aliases = (*SELECTED_ALIASES, *extra)
    selected = enrollments.annotate(
        f_version=Value(version.pk),
        f_universe=Value(universe),
        f_counted=Value(False),
        f_enrollment=F("pk"),
        f_client=F("client_id"),
        f_project=F("project_id"),
        f_agency=F("agency_id"),
        f_source=F("source_id"),
        f_household=F("household_id"),
        f_personal=F("personal_id"),
        f_hud_enrollment=F("enrollment_id"),
        f_project_type=F("project__project_type"),
        f_relationship=F("relationship_to_hoh"),
        f_entry=F("entry_date"),
        f_exit=F("exit_on"),
        f_move_in=F("move_in_date"),
        f_age=age_at(age_reference),
        **{f"f_{column}": F(f"client__{column}") for column in CLIENT_COLUMNS},
        **{f"f_{column}": F(column) for column in ENROLLMENT_COLUMNS},
        **{f"f_{column}": F(f"exit__{column}") for column in EXIT_COLUMNS},
        **extra,
    ).values(*aliases)
    sql, params = selected.query.sql_with_params()
    table = ReportFact._meta.db_table
    qn = connection.ops.quote_name
    names = ["version", "universe", "counted", *FACT_COLUMNS, *(annotations or {})]
    if computed:
        outer, outer_params = [], []
        for name, alias in zip(names, aliases, strict=True):
            if name in computed:
                expression, expression_params = computed[name]
                outer.append(f"({expression})")
                outer_params += expression_params
            else:
                outer.append(qn(alias))
        for name, (expression, expression_params) in computed.items():
            if name not in names:
                names.append(name)
                outer.append(f"({expression})")
                outer_params += expression_params
        sql = (
            f"SELECT {', '.join(outer)} FROM ({sql}) {qn('universe_rows')} "
            f"WINDOW household AS (PARTITION BY {qn('f_household')}, {qn('f_source')})"
        )
        params = (*outer_params, *params)  # the outer SELECT list comes first
    columns = ", ".join(qn(ReportFact._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        with _hash_joins(cursor, whole):
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        inserted = cursor.rowcount
        if connection.vendor == "postgresql":
            # Freshly inserted rows have no statistics: without them the planner picks nested
            # loops for the household and latest-stay subqueries (minutes instead of seconds).
            cursor.execute(f"ANALYZE {table}")
        return inserted


@contextmanager
def _hash_joins(cursor, whole: bool):
    """No nested-loop joins for one statement when ``whole`` (restored after it).

    The APR's snapshot joins a year of a CoC's enrollments to their clients, projects and
    exits: PostgreSQL estimates a few thousand rows from the date-range filters and probes an
    index per row (167,000 client lookups at 200,000 clients); hash joins over the whole
    tables took 5.5 s instead of 6.8 s. The PIT's one-night universe keeps its index plans.
    """
    with _setting(cursor, "enable_nestloop", "off" if whole else None):
        yield


@contextmanager
def _setting(cursor, name: str, value: str | None):
    """PostgreSQL setting ``name`` at ``value`` for the statements inside (restored after them);
    nothing on SQLite or when ``value`` is None."""
    if value is None or connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_setting(%s), set_config(%s, %s, false)", [name, name, value])
    previous = cursor.fetchone()[0]
    try:
        yield
    finally:
        cursor.execute("SELECT set_config(%s, %s, false)", [name, previous])


def facts(version: ReportVersion, universe: str):
    return ReportFact.objects.filter(version=version, universe=universe)


def update_by_household(
    version: ReportVersion,
    universe: str,
    aggregates: dict[str, str],
    assignments: dict[str, str],
    where: str = "",
) -> None:
    """One ``UPDATE ... FROM`` setting columns of every row from its household's aggregates.

    ``aggregates`` maps a name to an aggregate over the household's rows in the universe (SQL
    over ``reports_reportfact`` columns, e.g. ``MAX(CASE WHEN age >= 18 THEN 1 ELSE 0 END)``);
    ``assignments`` maps a column to its new value (SQL over ``h.<name>`` and the row's own
    columns). The households are grouped once (a hash aggregate and a hash join), instead of
    a correlated ``EXISTS`` per row and condition. ``where`` (SQL over ``h.<name>`` and
    ``f.<column>``) limits the UPDATE to the rows that change: every row it writes gets a new
    version in the table. Works on PostgreSQL and SQLite (3.33+).
    """
    table = ReportFact._meta.db_table
    grouped = ", ".join(f"{sql} AS {name}" for name, sql in aggregates.items())
    values = ", ".join(f"{column} = {sql}" for column, sql in assignments.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS f SET {values} "
            f"FROM (SELECT household_id, source_id, {grouped} FROM {table} "
            "WHERE version_id = %s AND universe = %s GROUP BY household_id, source_id) AS h "
            "WHERE f.version_id = %s AND f.universe = %s "
            "AND f.household_id = h.household_id AND f.source_id = h.source_id"
            + (f" AND ({where})" if where else ""),
            [version.pk, universe, version.pk, universe],
        )


def set_household_types(version: ReportVersion, universe: str) -> None:
    """The glossary's household type from the ages of all members in the universe (§4.5):
    with children and adults when it has both; without children when it has adults and no
    member of unknown age; with only children likewise; unknown otherwise."""
    update_by_household(
        version,
        universe,
        {
            "adult": f"MAX(CASE WHEN age >= {ADULT} THEN 1 ELSE 0 END)",
            "child": f"MAX(CASE WHEN age < {CHILD} THEN 1 ELSE 0 END)",
            "unknown": "MAX(CASE WHEN age IS NULL THEN 1 ELSE 0 END)",
        },
        {
            "household_type": "CASE "
            f"WHEN h.adult = 1 AND h.child = 1 THEN {WITH_CHILDREN_AND_ADULTS} "
            f"WHEN h.adult = 1 AND h.unknown = 0 THEN {WITHOUT_CHILDREN} "
            f"WHEN h.child = 1 AND h.unknown = 0 THEN {ONLY_CHILDREN} "
            f"ELSE {UNKNOWN_HOUSEHOLD} END"
        },
    )


def household_type_sql() -> tuple[str, list]:
    """``set_household_types``' value as a ``snapshot(computed=...)`` expression (the
    ``household`` window over the snapshot's values instead of an UPDATE of every row)."""
    adult = f"MAX(CASE WHEN f_age >= {ADULT} THEN 1 ELSE 0 END) OVER household"
    child = f"MAX(CASE WHEN f_age < {CHILD} THEN 1 ELSE 0 END) OVER household"
    unknown = "MAX(CASE WHEN f_age IS NULL THEN 1 ELSE 0 END) OVER household"
    return (
        f"CASE WHEN {adult} = 1 AND {child} = 1 THEN {WITH_CHILDREN_AND_ADULTS} "
        f"WHEN {adult} = 1 AND {unknown} = 0 THEN {WITHOUT_CHILDREN} "
        f"WHEN {child} = 1 AND {unknown} = 0 THEN {ONLY_CHILDREN} "
        f"ELSE {UNKNOWN_HOUSEHOLD} END",
        [],
    )


def latest_stay_sql() -> tuple[str, list]:
    """``mark_counted`` without a rank as a ``snapshot(computed=...)`` expression for
    ``counted``: each client's latest start, ties by the later enrollment record."""
    return (
        "ROW_NUMBER() OVER (PARTITION BY f_client ORDER BY f_entry DESC, f_enrollment DESC) = 1",
        [],
    )


def mark_counted(version: ReportVersion, universe: str, rank=None) -> None:
    """Mark one row per client as counted: the highest ``rank`` first, then the latest start.

    The APR uses the latest stay (glossary "Latest stay"; ties by the later record); the PIT
    passes a rank of project types (ES before SH before TH, REFERENCE §5.2). One window over
    the rows (``ROW_NUMBER() OVER (PARTITION BY client ...)``), not a correlated ``NOT EXISTS``
    per row (21 s at 200,000 clients).
    """
    rows = facts(version, universe)
    order = [F("entry_date").desc(), F("pk").desc()]
    if rank is not None:
        order.insert(0, rank.asc() if hasattr(rank, "asc") else rank)
    first = rows.annotate(
        position=Window(RowNumber(), partition_by=[F("client_id")], order_by=order)
    ).filter(position=1)
    rows.filter(pk__in=first.values("pk")).update(counted=True)


@dataclass
class Table:
    """One HUD table shell: lettered columns, numbered rows, a ``Q`` per countable cell.

    ``cells`` maps an address ("B2") to the filter over the version's counted rows;
    ``values`` holds computed cells (text, rates) that have no drill-down.
    """

    key: str
    title: str
    columns: list[tuple[str, str]]  # (letter, header) from B on
    rows: list[tuple[int, str]]  # (number, label) from 2 on
    universe: str = "apr"
    cells: dict[str, Q] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)
    grayed: set[str] = field(default_factory=set)
    source: str = ""  # the HUD section the definitions come from
    # Rates ("% of Issue Rate"): address -> (numerator filter, denominator filter), each a
    # distinct-client count over the same rows; the cell holds numerator / denominator.
    rates: dict[str, tuple[Q, Q]] = field(default_factory=dict)
    # Count every stay in the universe, not only each client's counted (latest) one (APR
    # Q7b/Q8b: "all enrollments are used").
    all_stays: bool = False

    def rows_of(self, version: ReportVersion):
        rows = facts(version, self.universe)
        return rows if self.all_stays else rows.filter(counted=True)

    def as_json(self, counts: dict[str, object]) -> dict:
        cells = {}
        for letter, _header in self.columns:
            for number, _label in self.rows:
                address = f"{letter}{number}"
                if address in self.grayed:
                    continue
                cells[address] = counts.get(address, self.values.get(address, 0))
        return {
            "title": self.title,
            "columns": [list(c) for c in self.columns],
            "rows": [list(r) for r in self.rows],
            "cells": cells,
            "grayed": sorted(self.grayed),
            "drillable": sorted(self.cells),
            "universe": self.universe,
            "source": self.source,
        }


def _is_set(child) -> bool:
    return (
        isinstance(child, tuple)
        and child[0].endswith("__in")
        and isinstance(child[1], models.QuerySet)
    )


def _has_sets(q: Q) -> bool:
    return any(_has_sets(c) if isinstance(c, Q) else _is_set(c) for c in q.children)


def _fact_column(path: str) -> str | None:
    """The ReportFact column a lookup path names, when it is one of the row's own columns."""
    if "__" in path:
        return None
    try:
        found = ReportFact._meta.pk if path == "pk" else ReportFact._meta.get_field(path)
    except FieldDoesNotExist:
        return None
    if not getattr(found, "concrete", False) or found.many_to_many or found.one_to_many:
        return None
    return found.column


def _shared_sets(q: Q, sets: dict, members: dict | None = None) -> Q:
    """``q`` with each ``field__in=<QuerySet>`` replaced by ``field IN (SELECT v FROM sN)``.

    ``sets`` maps a sub-select's SQL and parameters to its name ``sN``; ``count_table`` computes
    each once per statement as a materialized CTE. A table's cells repeat the same sub-selects
    (a data-quality rule in its B, C, D, E and rate cells, the "annual assessment due" rule in
    every Q16/Q17 cell): a hashed sub-plan per cell ran the rule's query over the HMIS tables
    once per cell, now it reads the CTE's rows. A sub-select that refers to an outer row
    (``OuterRef``) is left as it is.

    With ``members`` (``(set name, column)`` -> membership column), a test of one of the row's
    own columns becomes that boolean column instead: ``count_table`` joins each set to the rows
    ONCE and every cell reads the column. (As hashed sub-plans, each cell that tested a set
    built its own hash of it and probed it per row: APR Q25b at 200,000 clients read its
    162,000-row household set a dozen times.) A NULL column is "not in the set" either way.
    """
    if not _has_sets(q):
        return q
    rewritten = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        if isinstance(child, Q):
            child = _shared_sets(child, sets, members)
        elif _is_set(child):
            try:
                qs = child[1]
                if qs._fields is None:
                    qs = qs.values("pk")
                if not qs.query.is_sliced:
                    qs = qs.order_by()
                sql, params = qs.query.sql_with_params()
            except EmptyResultSet:  # a sub-select that is empty whatever the data
                rewritten.children.append((child[0], []))
                continue
            except (ValueError, FieldError):  # refers to the outer query (or an alias): keep
                rewritten.children.append(child)
                continue
            key = (sql, tuple(repr(p) for p in params))
            if key not in sets:
                sets[key] = (f"s{len(sets)}", sql, params)
            name = sets[key][0]
            column = _fact_column(child[0].removesuffix("__in")) if members is not None else None
            if column is not None:
                member = members.setdefault((name, column), f"m{len(members)}")
                child = RawSQL(connection.ops.quote_name(member), (), output_field=BooleanField())
            else:
                child = (child[0], RawSQL(f"SELECT v FROM {name}", ()))  # noqa: S611
        rewritten.children.append(child)
    return rewritten


@contextmanager
def _statement_settings(cursor):
    """JIT off and a larger ``work_mem`` for one statement (both restored after it).

    JIT: see ``_without_jit``. ``work_mem``: a sub-select is hashed (read once) only when the
    planner expects its rows to fit in ``work_mem``; at 200,000 clients a rule's estimated rows
    passed the 4 MB default and each such cell became a plain sub-plan re-read for every row.
    """
    with _setting(cursor, "work_mem", WORK_MEM), _without_jit(cursor):
        yield


WORK_MEM = "64MB"


def build_settings(local: bool = True) -> None:
    """PostgreSQL's JIT off and ``WORK_MEM`` for the rest of a build's transaction (``local``)
    or the session: every statement of a build, not only ``count_table``'s (``_without_jit``:
    a table's averages, e.g. APR Q19a1's 20 filtered averages, spent 1-2 s compiling; the
    snapshot's window functions and the derived UPDATEs hash whole universes)."""
    if connection.vendor != "postgresql":
        return
    scope = "LOCAL " if local else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SET {scope}jit = off")
        cursor.execute(f"SET {scope}work_mem = '{WORK_MEM}'")


@contextmanager
def _without_jit(cursor):
    """PostgreSQL's JIT off for one statement (restored after it).

    A table's query has one sub-select per rule cell, so its estimated cost passes
    ``jit_optimize_above_cost`` and PostgreSQL spends a minute compiling (APR Q6c at 20,000
    clients: 68 s of JIT for 2 s of execution); the statements are short and never gain from it.
    """
    with _setting(cursor, "jit", "off"):
        yield


def count_table(version: ReportVersion, table: Table) -> dict[str, int]:
    """Every countable cell and rate of ``table`` in one aggregate query over its rows.

    Counted rows (one per client) without repeating joins: from the rows grouped by their
    terms (``_grouped_counts``). Otherwise (``_flag_counts``) each cell's filter is first
    evaluated as a boolean column of the rows (an inner query), then counted with
    ``COUNT(DISTINCT client_id) FILTER (WHERE flag)``. In both, on PostgreSQL the
    inner query is fenced (``OFFSET 0``) so it is not pulled up into the aggregate: the planner
    costs a sub-select inside an aggregate's FILTER as run once per *group* and picks a plain
    (re-run per row) SubPlan for ``x IN (SELECT ...)``, which made every such cell quadratic
    (APR at 20,000 clients: 108-226 s). Below the aggregate it is costed per row and hashed,
    i.e. each rule's sub-select runs once per cell instead of once per row.
    """
    if not table.cells and not table.rates:
        return {}
    filters = cell_filters(table)
    # Cells with the same filter share one flag (a rate's numerator and denominator are
    # usually cells of the same table: APR Q27i's 268 filters are 140 distinct ones).
    names, distinct = {}, {}
    for address, q in filters.items():
        try:
            hash(q)
        except TypeError:  # a filter holding an unhashable value: its own flag
            q = (address,)
        names[address] = distinct.setdefault(q, f"cell_{len(distinct)}")
    by_flag = None if table.all_stays else _grouped_counts(version, table, filters, names)
    if by_flag is None:
        by_flag = _flag_counts(version, table, filters, names)
    counts = {address: by_flag[names[address]] for address in filters}
    for address in table.rates:
        n, d = counts.pop(f"rate_n_{address}"), counts.pop(f"rate_d_{address}")
        counts[address] = round(n / d, 4) if d else 0.0
    return counts


def cell_filters(table: Table) -> dict[str, Q]:
    """A table's cell filters and each rate's numerator and denominator (``rate_n_``/``rate_d_``
    + the rate's address), the filters ``count_table`` counts."""
    filters = dict(table.cells)
    for address, (numerator, denominator) in table.rates.items():
        filters[f"rate_n_{address}"] = numerator
        filters[f"rate_d_{address}"] = denominator
    return filters


def _with_clause(sets: dict, *more: str) -> tuple[str, list]:
    """``WITH`` the shared sets (materialized on PostgreSQL) and ``more`` CTEs."""
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    ctes = [f"{name}(v) AS {materialized}({set_sql})" for name, set_sql, _p in sets.values()]
    ctes += more
    params = [p for _name, _sql, set_params in sets.values() for p in set_params]
    return ("WITH " + ", ".join(ctes)) if ctes else "", params


def _terms(filters: dict[str, Q], names: dict[str, str]) -> tuple[dict[str, Q], dict]:
    """The distinct conjuncts ("terms") of the flags: a flag that is an AND of conditions is
    those conditions, anything else is one term. Returns (term name -> Q, flag -> term names).

    HUD's tables are grids: a cell is (row condition) AND (column condition), so a table of
    R rows and C columns has R x C cells but R + C terms (APR Q12: 165 cells, 26 terms).
    """
    terms: dict = {}
    of_flag: dict[str, list[str]] = {}
    for address, q in filters.items():
        flag = names[address]
        if flag in of_flag:
            continue
        split = q.connector == Q.AND and not q.negated and q.children and not _correlated(q)
        parts = q.children if split else [q]
        found = []
        for part in parts:
            term = part if isinstance(part, Q) else Q(part)
            try:
                key = (hash(term), term)
            except TypeError:  # an unhashable value: its own term
                key = (address, id(part))
            found.append(terms.setdefault(key, (f"t{len(terms)}", term))[0])
        of_flag[flag] = sorted(set(found), key=lambda name: int(name[1:]))
    return {name: term for name, term in terms.values()}, of_flag


def _correlated(node) -> bool:
    """Whether a filter holds a sub-select that refers to the outer row (``OuterRef``).

    Such a flag stays ONE term: PostgreSQL evaluates ``a AND <sub-select>`` lazily, so the
    sub-select runs only for the rows where ``a`` holds (APR Q27m reads the youth education
    records of youth only); as separate terms it ran for every row (0.7 -> 8 s).
    """
    if isinstance(node, Q):
        return any(_correlated(child) for child in node.children)
    if isinstance(node, tuple):  # (lookup, value)
        return _correlated_value(node[1])
    return _correlated_value(node)


def _correlated_value(value) -> bool:
    if isinstance(value, models.QuerySet):
        try:
            value.query.sql_with_params()
        except (ValueError, FieldError):
            return True
        except EmptyResultSet:
            return False
        return False
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_correlated_value(v) for v in value)
    if isinstance(value, Q):
        return _correlated(value)
    if isinstance(value, (Subquery, Exists)):
        return True
    if hasattr(value, "get_source_expressions"):
        return any(_correlated_value(e) for e in value.get_source_expressions() if e is not None)
    return False


def _grouped_counts(version, table: Table, filters: dict, names: dict) -> dict | None:
    """Each flag's count from the rows grouped by their terms (``_terms``); None when that
    cannot be cheaper (no fewer terms than flags) or a join can repeat a row (a cell must then
    count distinct clients: ``_flag_counts``).

    Evaluating every cell's filter on every row cost ~50-100 ns per cell and row: the APR's
    tables at 200,000 clients spent most of their time there. Here each row evaluates each
    term once, the rows are grouped by the terms' values (a few hundred combinations where a
    row falls in one row and one column of the grid) and each cell sums the counts of the
    groups whose terms it requires. The counted rows are one per client (``mark_counted``),
    so without repeating joins a group's row count is its number of clients.
    """
    terms, of_flag = _terms(filters, names)
    if len(terms) >= len(of_flag):
        return None
    own = {t: t for t in terms}
    sql, params, sets, repeats = _cells_sql(version, table, terms, own, members=True)
    if sql is None:
        sql, params, sets, repeats = _cells_sql(version, table, terms, own, members=False)
    if repeats:
        return None
    postgresql = connection.vendor == "postgresql"
    qn = connection.ops.quote_name
    # Always-true/false terms (``Q()``, an empty set) are selected as 1/0: PostgreSQL wants
    # booleans in FILTER (the cast is a no-op for the other columns).
    value = "CAST({} AS BOOLEAN)" if postgresql else "{}"
    grouped = ", ".join(value.format(qn(t)) for t in terms)
    columns = ", ".join(f"{value.format(qn(t))} AS {qn(t)}" for t in terms)
    with_sql, with_params = _with_clause(sets)
    flags = sorted(of_flag, key=lambda name: int(name.removeprefix("cell_")))
    sums = ", ".join(
        f"SUM(n_) FILTER (WHERE {' AND '.join(qn(t) for t in of_flag[flag])})" for flag in flags
    )
    fence = " OFFSET 0" if postgresql else ""
    statement = (
        f"{with_sql} SELECT {sums} FROM (SELECT {columns}, COUNT(*) AS n_ "
        f"FROM ({sql}{fence}) {qn('cells')} GROUP BY {grouped}) {qn('groups')}"
    )
    with connection.cursor() as cursor, _statement_settings(cursor):
        cursor.execute(statement, [*with_params, *params])
        values = cursor.fetchone()
    return {flag: int(n or 0) for flag, n in zip(flags, values, strict=True)}


def _flag_counts(version, table: Table, filters: dict, names: dict) -> dict:
    """Each flag's count of distinct clients, evaluated on every row (``count_table``)."""
    sql, params, sets, _repeats = _cells_sql(version, table, filters, names, members=True)
    if sql is None:  # the rows' table could not be told apart: sets as hashed sub-plans
        sql, params, sets, _repeats = _cells_sql(version, table, filters, names, members=False)
    flags = sorted(set(names.values()), key=lambda name: int(name.removeprefix("cell_")))
    postgresql = connection.vendor == "postgresql"
    with_sql, with_params = _with_clause(sets)
    fence = " OFFSET 0" if postgresql else ""
    qn = connection.ops.quote_name
    # An always-true/false filter (``Q()``, ``Q(pk__in=[])``) is selected as 1/0: PostgreSQL
    # wants a boolean in FILTER (the cast is a no-op for the other columns).
    flag = "CAST({} AS BOOLEAN)" if postgresql else "{}"
    client = qn("client_id")

    def counts_sql(distinct: bool) -> str:
        counted = f"DISTINCT {client}" if distinct else "*"
        return ", ".join(
            f"COUNT({counted}) FILTER (WHERE {flag.format(qn(name))})" for name in flags
        )

    statement = f"{with_sql} SELECT {{}} FROM ({sql}{fence}) {qn('cells')}"
    with connection.cursor() as cursor, _statement_settings(cursor):
        if table.all_stays:
            cursor.execute(statement.format(counts_sql(True)), [*with_params, *params])
            values = cursor.fetchone()
        else:
            # A cell counts distinct clients. The counted rows are one per client, so unless
            # a cell's join repeats a row, COUNT(*) per cell is that count: checked by ONE
            # distinct count over all the rows, instead of one per cell (each a sort of the
            # cell's rows: Q12 at 200,000 clients, 165 sorts of up to 130,000 rows).
            cursor.execute(
                statement.format(f"COUNT(*), COUNT(DISTINCT {client}), {counts_sql(False)}"),
                [*with_params, *params],
            )
            rows, clients, *values = cursor.fetchone()
            if rows != clients:  # a join repeated rows: count distinct clients per cell
                cursor.execute(statement.format(counts_sql(True)), [*with_params, *params])
                values = cursor.fetchone()
    return dict(zip(flags, values, strict=True))


_MAIN_TABLE = re.compile(r'FROM "reports_reportfact"(?= WHERE | INNER JOIN | LEFT OUTER JOIN |$)')


def _cells_sql(version, table: Table, filters: dict, names: dict, members: bool):
    """The inner query of ``count_table``: one boolean column per distinct cell filter.

    With ``members``, the rows' table is replaced by the rows with one membership column per
    (shared set, column) tested (``_shared_sets``), each set joined once; ``None`` when the
    rows' own ``FROM`` cannot be found exactly once in the compiled SQL.
    """
    sets: dict = {}
    found: dict | None = {} if members else None
    flags = {}
    for address, q in filters.items():
        if names[address] not in flags:
            flags[names[address]] = ExpressionWrapper(
                _shared_sets(q, sets, found), output_field=models.BooleanField()
            )
    inner = table.rows_of(version).order_by().annotate(**flags).values("client_id", *flags)
    sql, params = inner.query.sql_with_params()
    # A join along a reverse relation (one row per related record) can repeat a row; joins
    # along foreign keys (the stay's enrollment, its income records) cannot.
    repeats = any(
        isinstance(getattr(join, "join_field", None), ForeignObjectRel)
        for join in inner.query.alias_map.values()
    )
    if not found:
        return sql, params, sets, repeats
    if len(_MAIN_TABLE.findall(sql)) != 1 or not re.fullmatch(r"[a-z_]+", table.universe):
        return None, None, None, repeats
    qn = connection.ops.quote_name
    fact = qn(ReportFact._meta.db_table)
    columns, joins = [], []
    for n, ((name, column), member) in enumerate(found.items()):
        columns.append(f"(j{n}.v IS NOT NULL) AS {qn(member)}")
        joins.append(
            f"LEFT JOIN (SELECT DISTINCT v FROM {name}) j{n} ON j{n}.v = {fact}.{qn(column)}"
        )
    # The version and universe are an integer and a checked name: inlined, so that the
    # parameters keep their order.
    rows = (
        f"(SELECT {fact}.*, {', '.join(columns)} FROM {fact} {' '.join(joins)} "
        f"WHERE {fact}.version_id = {int(version.pk)} AND {fact}.universe = '{table.universe}'"
        f") {fact}"
    )
    return _MAIN_TABLE.sub(lambda _m: f"FROM {rows}", sql), params, sets, repeats


def grid(columns: Iterable[tuple[str, Q]], rows: Iterable[tuple[int, Q]]) -> dict[str, Q]:
    """Cells of a table whose cell is (its column's filter) AND (its row's filter)."""
    rows = list(rows)
    return {f"{letter}{number}": cq & rq for letter, cq in columns for number, rq in rows}


EVERYONE = Q()
