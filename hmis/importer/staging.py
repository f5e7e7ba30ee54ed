"""Staging tables, set-based checks and the atomic write of one export.

Each file is loaded into a temporary table of its own (PostgreSQL: ``COPY``; SQLite:
``executemany``), then uniqueness and references are checked in SQL, then one transaction
upserts every file of the source (``INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE changed``)
and, for a full export, deletes the source's rows the export no longer holds. Unchanged rows are
not written, so re-importing the same file changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

from django.conf import settings
from django.db import connection, models

from hmis import pii
from hmis.models import HUD_MODELS, Client

BATCH = 5000
CLIENT_EXTRAS = [
    "ssn_encrypted",
    "ssn_last4",
    "ssn_invalid",
    "match_name",
    "match_ssn",
    "match_ssn4",
]
# The one extra that is not text: HUD's SSN validity test (``hmis.pii.ssn_invalid``).
BOOLEAN_EXTRAS = {"ssn_invalid"}


def extra_type(column: str) -> str:
    if not is_pg():
        return ""
    return "boolean" if column in BOOLEAN_EXTRAS else "text"


def extra_value(column: str) -> str:
    """The staged extra as written: '' or false for a row staged without it."""
    if column in BOOLEAN_EXTRAS:
        return f"COALESCE(s.{column}, {'false' if is_pg() else '0'})"
    return f"COALESCE(s.{column}, '')"


PROJECT_CHILDREN = {
    "Funder",
    "ProjectCoC",
    "Inventory",
    "HMISParticipation",
    "CEParticipation",
    "Affiliation",
}
ENROLLMENT_CHILDREN = {
    "Exit",
    "IncomeBenefits",
    "HealthAndDV",
    "EmploymentEducation",
    "Disabilities",
    "Services",
    "CurrentLivingSituation",
    "Assessment",
    "AssessmentQuestions",
    "AssessmentResults",
    "Event",
    "YouthEducationStatus",
}

# (child file, child field, parent file, parent field, HUD column) — checked in SQL.
REFERENCES = [
    ("Project", "hud_organization_id", "Organization", "organization_id", "OrganizationID"),
    *[
        (f, "hud_project_id", "Project", "project_id", "ProjectID")
        for f in sorted(PROJECT_CHILDREN)
    ],
    ("Affiliation", "res_project_id", "Project", "project_id", "ResProjectID"),
    ("Enrollment", "personal_id", "Client", "personal_id", "PersonalID"),
    ("Enrollment", "hud_project_id", "Project", "project_id", "ProjectID"),
    *[
        (f, "hud_enrollment_id", "Enrollment", "enrollment_id", "EnrollmentID")
        for f in sorted(ENROLLMENT_CHILDREN)
    ],
    ("AssessmentQuestions", "hud_assessment_id", "Assessment", "assessment_id", "AssessmentID"),
    ("AssessmentResults", "hud_assessment_id", "Assessment", "assessment_id", "AssessmentID"),
]


# Staging columns that checks and the write join on (``REFERENCES``, ``links``, ``check``).
LINK_COLUMNS = {
    "organization_id",
    "hud_organization_id",
    "project_id",
    "hud_project_id",
    "res_project_id",
    "personal_id",
    "enrollment_id",
    "hud_enrollment_id",
    "exit_id",
    "assessment_id",
    "hud_assessment_id",
}


def is_pg() -> bool:
    return connection.vendor == "postgresql"


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def stg(model) -> str:
    return f"hmis_stg_{model._meta.model_name}"


def hud_fields(model) -> list[models.Field]:
    names = [f for _, f in model.HUD_COLUMNS]
    return [model._meta.get_field(n) for n in names if n != "ssn"]


def staged_columns(model) -> list[str]:
    cols = [f.column for f in hud_fields(model)]
    return cols + (CLIENT_EXTRAS if model is Client else [])


def stage_type(field: models.Field) -> str:
    if not is_pg():
        # SQLite: affinities so that staged codes compare as numbers, dates stay Django's text.
        if isinstance(field, models.IntegerField):
            return "integer"
        if isinstance(field, models.DecimalField):
            return "numeric"
        return "text"
    if isinstance(field, models.DateTimeField):
        return "timestamp"  # HUD local time; converted AT TIME ZONE on write
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.IntegerField):
        return "integer"
    if isinstance(field, models.DecimalField):
        return "numeric"
    return "text"


class Sink:
    """Receives the rows of every file of one export into temporary tables."""

    def __init__(self, hashed: bool) -> None:
        self.hashed = hashed
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.created: list[str] = []
        self.model = None
        self.pg = is_pg()  # once per import, not once per row

    # --- tables ----------------------------------------------------------------------------
    def create(self, model) -> None:
        table = stg(model)
        fields = hud_fields(model)
        cols = [f"{q(f.column)} {stage_type(f)}" for f in fields]
        if model is Client:
            cols += [f"{q(c)} {extra_type(c)}" for c in CLIENT_EXTRAS]
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {table} (line integer, {', '.join(cols)})")
        self.created.append(table)

    def drop_all(self) -> None:
        with connection.cursor() as cursor:
            for table in self.created:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self.created = []

    # --- rows ------------------------------------------------------------------------------
    def begin(self, model, fields: list[str | None]) -> None:
        self.model = model
        self.create(model)
        kept = [f for f in fields if f is not None]
        by_name = {f.name: f for f in hud_fields(model)}
        self.ssn_at = kept.index("ssn") if "ssn" in kept else None
        self.positions = [i for i, f in enumerate(kept) if f != "ssn"]
        self.columns = ["line"] + [by_name[kept[i]].column for i in self.positions]
        self.datetimes = [
            n
            for n, i in enumerate(self.positions, 1)
            if isinstance(by_name[kept[i]], models.DateTimeField)
        ]
        if model is Client:
            self.first_at = kept.index("first_name") if "first_name" in kept else None
            self.last_at = kept.index("last_name") if "last_name" in kept else None
            self.columns += CLIENT_EXTRAS
        self.buffer: list[list] = []
        # Files without an SSN column pass their kept values through as they are.
        self.identity = self.positions == list(range(len(kept)))
        self.is_client = model is Client

    def add(self, line: int, values: list, row, plan) -> None:
        if self.identity:
            out = [line, *values]
        else:
            out = [line]
            out.extend([values[i] for i in self.positions])
        if self.is_client:
            ssn = (values[self.ssn_at] or "") if self.ssn_at is not None else ""
            first = (values[self.first_at] or "") if self.first_at is not None else ""
            last = (values[self.last_at] or "") if self.last_at is not None else ""
            keys = pii.client_keys(first, last, ssn, self.hashed)
            out += [keys[c] for c in CLIENT_EXTRAS]
        if not self.pg:
            for n in self.datetimes:
                out[n] = self.utc(out[n])
        self.buffer.append(out)
        if len(self.buffer) >= BATCH:
            self.flush()

    def utc(self, text: str | None) -> str | None:
        """SQLite keeps Django's naive-UTC text; PostgreSQL converts in SQL instead."""
        if text is None:
            return None
        local = dt.datetime.fromisoformat(text).replace(tzinfo=self.tz)
        return str(local.astimezone(dt.UTC).replace(tzinfo=None))

    def flush(self) -> None:
        if not self.buffer:
            return
        table = stg(self.model)
        cols = ", ".join(q(c) for c in self.columns)
        with connection.cursor() as cursor:
            if is_pg():
                data = io.StringIO()
                csv.writer(data).writerows(self.buffer)
                data.seek(0)
                cursor.cursor.copy_expert(
                    f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv)", data
                )
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", self.buffer)
        self.buffer = []

    def fix(self, hud_column: str, converted: list[tuple[int, str]]) -> None:
        """Set the values of a non-ISO date column once its format is decided."""
        self.flush()
        field = dict(self.model.HUD_COLUMNS)[hud_column]
        column = self.model._meta.get_field(field).column
        table = stg(self.model)
        with connection.cursor() as cursor:
            # By line, for a whole column of a large file: indexed, never a scan per value.
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_line ON {table} (line)")
            if is_pg():
                from psycopg2.extras import execute_values

                kind = stage_type(self.model._meta.get_field(field))
                execute_values(
                    cursor.cursor,
                    f"UPDATE {table} t SET {q(column)} = v.value::{kind} "
                    f"FROM (VALUES %s) v (line, value) WHERE t.line = v.line",
                    [(line, v) for line, v in converted],
                    page_size=5000,
                )
            else:
                rows = [(self.utc(v) if len(v) > 10 else v, line) for line, v in converted]
                cursor.executemany(f"UPDATE {table} SET {q(column)} = %s WHERE line = %s", rows)

    def end(self) -> None:
        self.flush()
        key = self.model._meta.get_field(self.model.hud_key()).column
        with connection.cursor() as cursor:
            table = stg(self.model)
            cursor.execute(f"CREATE INDEX {table}_key ON {table} ({q(key)})")
            if is_pg():
                # Statistics for what the checks and the write join on (row count included):
                # the other columns' would only cost time.
                names = {f.column for f in hud_fields(self.model)}
                joined = ["line", key, *sorted((names & LINK_COLUMNS) - {key})]
                cursor.execute(f"ANALYZE {table} ({', '.join(q(c) for c in joined)})")


def fetch(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def count(model) -> int:
    return fetch(f"SELECT COUNT(*) FROM {stg(model)}")[0][0]


# --- set-based checks ----------------------------------------------------------------------
def check(problems, source, staged: set[str], delta: bool, limit: int = 100) -> None:
    """Uniqueness, references, one exit per enrollment, VSP client data, agency sources."""
    for file, model in HUD_MODELS.items():
        if file not in staged:
            continue
        key_field = model.hud_key()
        key = q(model._meta.get_field(key_field).column)
        hud = model.HUD_COLUMNS[0][0]
        for line, value, first in fetch(
            f"SELECT s.line, s.{key}, (SELECT MIN(t.line) FROM {stg(model)} t "
            f"WHERE t.{key} = s.{key}) FROM {stg(model)} s WHERE EXISTS (SELECT 1 FROM "
            f"{stg(model)} t WHERE t.{key} = s.{key} AND t.line < s.line) ORDER BY s.line "
            f"LIMIT {limit}"
        ):
            problems.error(
                f"{file}.csv",
                line,
                hud,
                value,
                f"Duplicate {hud} {value!r}: already on line {first}. "
                "HUD ids are unique within an export.",
            )
    for child, field, parent, parent_field, hud in REFERENCES:
        if child not in staged or parent not in staged:
            continue
        cmodel, pmodel = HUD_MODELS[child], HUD_MODELS[parent]
        ccol = q(cmodel._meta.get_field(field).column)
        pcol = q(pmodel._meta.get_field(parent_field).column)
        existing = ""
        if delta:
            existing = (
                f" AND NOT EXISTS (SELECT 1 FROM {pmodel._meta.db_table} d "
                f"WHERE d.source_id = {int(source.pk)} AND d.{pcol} = s.{ccol})"
            )
        for line, value in fetch(
            f"SELECT s.line, s.{ccol} FROM {stg(cmodel)} s WHERE s.{ccol} IS NOT NULL AND "
            f"NOT EXISTS (SELECT 1 FROM {stg(pmodel)} p WHERE p.{pcol} = s.{ccol}){existing} "
            f"ORDER BY s.line LIMIT {limit}"
        ):
            where = f"{parent}.csv" + (" or the source's earlier imports" if delta else "")
            problems.error(
                f"{child}.csv",
                line,
                hud,
                value,
                f"{hud} {value!r} is not in {where}.",
            )
    if "Exit" in staged:
        exit_model = HUD_MODELS["Exit"]
        for line, value, first in fetch(
            f"SELECT s.line, s.hud_enrollment_id, (SELECT MIN(t.line) FROM {stg(exit_model)} t "
            f"WHERE t.hud_enrollment_id = s.hud_enrollment_id) FROM {stg(exit_model)} s "
            f"WHERE EXISTS (SELECT 1 FROM {stg(exit_model)} t WHERE t.hud_enrollment_id = "
            f"s.hud_enrollment_id AND t.line < s.line) ORDER BY s.line LIMIT {limit}"
        ):
            problems.error(
                "Exit.csv",
                line,
                "EnrollmentID",
                value,
                f"A second exit for EnrollmentID {value!r} (the first is on line {first}): "
                "an enrollment has at most one exit.",
            )
        if delta:
            for line, value, other in fetch(
                f"SELECT s.line, s.hud_enrollment_id, x.exit_id FROM {stg(exit_model)} s "
                f"JOIN hmis_exit x ON x.source_id = {int(source.pk)} "
                f"AND x.hud_enrollment_id = s.hud_enrollment_id AND x.exit_id <> s.exit_id "
                f"WHERE NOT EXISTS (SELECT 1 FROM {stg(exit_model)} t WHERE t.exit_id = x.exit_id)"
                f" ORDER BY s.line LIMIT {limit}"
            ):
                problems.error(
                    "Exit.csv",
                    line,
                    "EnrollmentID",
                    value,
                    f"Enrollment {value!r} already has exit {other!r} from an earlier import: "
                    "an enrollment has at most one exit.",
                )
    if {"Organization", "Project", "Enrollment"} <= staged:
        org, proj, enr = (stg(HUD_MODELS[f]) for f in ("Organization", "Project", "Enrollment"))
        for line, org_id, name in fetch(
            f"SELECT o.line, o.organization_id, o.organization_name FROM {org} o "
            f"WHERE (o.victim_service_provider = 1 OR EXISTS (SELECT 1 FROM agencies_agency a "
            f"WHERE a.coc_id = {int(source.coc_id)} AND a.hud_organization_id = o.organization_id"
            f" AND a.victim_service_provider = %s)) AND EXISTS (SELECT 1 FROM {proj} p JOIN {enr} e"
            f" ON e.hud_project_id = p.project_id WHERE p.hud_organization_id = o.organization_id)"
            f" ORDER BY o.line",
            [True],
        ):
            problems.error(
                "Organization.csv",
                line,
                "VictimServiceProvider",
                org_id,
                f"{name!r} (OrganizationID {org_id}) is a victim service provider, and the export "
                "holds client records of its projects. Victim service providers must not put "
                "client-level data in HMIS; they report from a comparable database. Remove its "
                "projects' enrollments from the export.",
            )
    if source.agency_id and "Organization" in staged:
        wanted = source.agency.hud_organization_id
        for line, org_id in fetch(
            f"SELECT line, organization_id FROM {stg(HUD_MODELS['Organization'])} "
            f"WHERE organization_id <> %s ORDER BY line LIMIT {limit}",
            [wanted],
        ):
            problems.error(
                "Organization.csv",
                line,
                "OrganizationID",
                org_id,
                f"This source is {source.agency}'s own system (OrganizationID {wanted!r}); "
                f"OrganizationID {org_id!r} belongs to another agency.",
            )


# --- the write -------------------------------------------------------------------------------
def links(file: str, source_id: int, coc_id: int) -> tuple[list[str], list[str], str]:
    """Extra target columns, their SELECT expressions and the JOINs that resolve them."""
    if file == "Organization":
        return (
            ["agency_id"],
            [
                f"(SELECT a.id FROM agencies_agency a WHERE a.coc_id = {coc_id} "
                f"AND a.hud_organization_id = s.organization_id)"
            ],
            "",
        )
    if file == "Project":
        return (
            ["organization_id", "agency_id", "agency_project_id"],
            [
                "o.id",
                "o.agency_id",
                "(SELECT ap.id FROM agencies_project ap WHERE ap.agency_id = o.agency_id "
                "AND ap.hud_project_id = s.project_id)",
            ],
            f"JOIN hmis_organization o ON o.source_id = {source_id} "
            f"AND o.organization_id = s.hud_organization_id",
        )
    if file in PROJECT_CHILDREN:
        return (
            ["project_id"],
            ["p.id"],
            f"JOIN hmis_project p ON p.source_id = {source_id} AND p.project_id = s.hud_project_id",
        )
    if file == "Enrollment":
        return (
            ["client_id", "project_id", "agency_id"],
            ["c.id", "p.id", "p.agency_id"],
            f"JOIN hmis_client c ON c.source_id = {source_id} AND c.personal_id = s.personal_id "
            f"JOIN hmis_project p ON p.source_id = {source_id} AND p.project_id = s.hud_project_id",
        )
    if file in ENROLLMENT_CHILDREN:
        cols, exprs = ["enrollment_id", "agency_id"], ["e.id", "e.agency_id"]
        joins = (
            f"JOIN hmis_enrollment e ON e.source_id = {source_id} "
            f"AND e.enrollment_id = s.hud_enrollment_id"
        )
        if file in {"AssessmentQuestions", "AssessmentResults"}:
            cols.append("assessment_id")
            exprs.append("a.id")
            joins += (
                f" JOIN hmis_assessment a ON a.source_id = {source_id} "
                f"AND a.assessment_id = s.hud_assessment_id"
            )
        return cols, exprs, joins
    return [], [], ""


def upsert(model, file: str, source_id: int, coc_id: int, delta: bool) -> int:
    table = model._meta.db_table
    fields = hud_fields(model)
    tz = settings.TIME_ZONE.replace("'", "")
    cols, exprs = [], []
    for f in fields:
        cols.append(f.column)
        if isinstance(f, models.CharField):
            exprs.append(f"COALESCE(s.{q(f.column)}, '')")
        elif isinstance(f, models.DateTimeField) and is_pg():
            exprs.append(f"(s.{q(f.column)} AT TIME ZONE '{tz}')")
        else:
            exprs.append(f"s.{q(f.column)}")
    if model is Client:
        cols += CLIENT_EXTRAS
        exprs += [extra_value(c) for c in CLIENT_EXTRAS]
    link_cols, link_exprs, joins = links(file, source_id, coc_id)
    cols += link_cols
    exprs += link_exprs
    key = model._meta.get_field(model.hud_key()).column
    compared = [c for c in cols if c != "ssn_encrypted"]
    changed = " OR ".join(
        f"{table}.{q(c)} IS DISTINCT FROM EXCLUDED.{q(c)}"
        if is_pg()
        else f"{table}.{q(c)} IS NOT excluded.{q(c)}"
        for c in compared
    )
    newer = ""
    if delta and "date_updated" in cols:
        newer = (
            f" AND ({table}.date_updated IS NULL OR EXCLUDED.date_updated >= {table}.date_updated)"
        )
    sql = (
        f"INSERT INTO {table} (source_id, coc_id, {', '.join(q(c) for c in cols)}) "
        f"SELECT {source_id}, {coc_id}, {', '.join(exprs)} FROM {stg(model)} s {joins} "
        f"WHERE 1 = 1"
    )
    with connection.cursor() as cursor:
        if is_pg():
            # The source's first rows in this table (its first import, or a file that was
            # empty): nothing to conflict with, so a plain INSERT, without ON CONFLICT's
            # speculative insertion per row. The source row is locked (``lock_source``): no
            # other import of this source can add rows meanwhile.
            cursor.execute(f"SELECT 1 FROM {table} WHERE source_id = {source_id} LIMIT 1")
            if cursor.fetchone() is None:
                cursor.execute(sql)
                return cursor.rowcount
        cursor.execute(
            sql
            + f" ON CONFLICT (source_id, {q(key)}) DO UPDATE SET "
            + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in cols)
            + f" WHERE ({changed}){newer}"
        )
        return cursor.rowcount


def lock_source(source_id: int) -> None:
    """Hold the source row for the write transaction (``SELECT … FOR UPDATE``).

    The HUD tables' keys to their source and to each other have no database constraint
    (``hmis.models.base.HudRecord``): this lock is what keeps another import of the same source,
    or a deletion of the source, from interleaving with this write. One lock per import instead
    of one foreign-key check per row and key.
    """
    from hmis.models import Source

    list(Source.objects.select_for_update().filter(pk=source_id).values_list("pk", flat=True))


def immediate_constraints() -> None:
    """Check the foreign keys of each ``INSERT … SELECT`` when it ends, not all at ``COMMIT``.

    Django creates them ``DEFERRABLE INITIALLY DEFERRED``: deferred, every inserted row queues
    its checks until ``COMMIT`` (about 900,000 of them for 20,000 clients). The references were
    already checked against the staging tables, so nothing is gained by waiting.
    """
    if is_pg():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# Target tables that later statements of the same import join to (or match on).
JOINED_TARGETS = {"Organization", "Project", "Client", "Enrollment", "Assessment"}


def analyze_target(model, file: str) -> None:
    """``ANALYZE`` a target table right after the import wrote it (PostgreSQL).

    Inside the import's transaction, so the statistics count the rows just written: without
    them the planner believes the new source has (almost) no clients, projects or enrollments
    and nests loops over them in the joins of the next files and of ``find_candidates`` —
    quadratic in the export's size (see docs/performance.md, "Import").
    """
    if file in JOINED_TARGETS and is_pg():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def delete_missing(model, source_id: int) -> int:
    """Delete the source's rows the export no longer holds.

    Through the ORM (not raw SQL) so that what other apps hang on these rows (candidates, the
    access log, data-quality flags) follows its own ``on_delete``; few rows go in a full export.
    """
    table = model._meta.db_table
    key = q(model._meta.get_field(model.hud_key()).column)
    missing = model._base_manager.filter(source_id=source_id).extra(
        where=[f"NOT EXISTS (SELECT 1 FROM {stg(model)} s WHERE s.{key} = {table}.{key})"]
    )
    deleted, _ = missing.delete()
    return deleted
