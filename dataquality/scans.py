"""The scan: every enabled rule over a CoC (or one agency) as set-based SQL, in one transaction.

Shape of a scan (the number of statements depends on the number of rules, never on records):

1. ``claim``: a conditional UPDATE (queued/running → running) that must change exactly one row,
   committed at once so pages show "running". A second delivery of the same task finds the scan
   held (a PostgreSQL advisory lock, see ``_hold``) or finished and does nothing.
2. One transaction: hold the scan; per enabled rule ONE ``INSERT INTO finding … SELECT``; per
   distinct denominator ONE grouped count; then a fixed set of merge statements turns findings
   into flags (new → open, fixed/resolved found again → open, not found → fixed; accepted stays
   accepted while found), writes the history rows, the scorecard rows and the counts, and marks
   the scan succeeded.
   A worker killed anywhere in 2 leaves the database as before the transaction: Celery
   redelivers the task (``acks_late``) and the retry repeats the whole transaction.
   Progress (rules done / total) is written to the scan's row after every rule through a second
   connection (``ProgressWriter``), so the web process sees it while the transaction runs.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from collections import defaultdict

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import F as Col
from django.db.models.functions import Cast
from django.utils import timezone

from hmis_gov.listcache import tables_changed

from .models import DataQualityPlan, Finding, Flag, FlagEvent, RuleSetting, Scan, ScanResult
from .rules import RULES, SEVERITIES, Context, Rule, base_querysets, owner_agency, timeliness

log = logging.getLogger(__name__)

FINDING_COLUMNS = (
    "source_id",
    "record_type",
    "hud_id",
    "personal_id",
    "record_pk",
    "client_id",
    "enrollment_id",
    "agency_id",
    "hmis_project_id",
)
LOCK_NAMESPACE = 5005  # pg advisory locks of data-quality scans: (LOCK_NAMESPACE, scan id)


class ScanInterrupted(BaseException):
    """Raised by tests to play a worker killed mid-scan (BaseException, like SystemExit)."""


def ensure_rule_settings(coc_id: int) -> None:
    """One RuleSetting row per rule for the CoC (new rules appear switched on)."""
    RuleSetting.objects.bulk_create(
        [RuleSetting(coc_id=coc_id, code=code) for code in RULES], ignore_conflicts=True
    )


def plan_for(coc_id: int) -> DataQualityPlan:
    plan, _ = DataQualityPlan.objects.get_or_create(coc_id=coc_id)
    return plan


def enabled_rules(coc_id: int) -> tuple[list[Rule], dict[str, int]]:
    ensure_rule_settings(coc_id)
    settings = {s.code: s for s in RuleSetting.objects.filter(coc_id=coc_id)}
    rules = [r for code, r in RULES.items() if settings[code].enabled]
    thresholds = {c: s.threshold for c, s in settings.items() if s.threshold is not None}
    return rules, thresholds


def projection(rule: Rule, queryset: QuerySet, scan_id: int) -> QuerySet:
    """The rule's records as the columns of a Finding row, in FINDING_COLUMNS order."""
    # A typed NULL: PostgreSQL reads a bare NULL in a sub-select as text, which the bigint
    # columns of the findings table refuse.
    null = Cast(Value(None), output_field=BigIntegerField())
    common = {
        "f_scan": Value(scan_id, output_field=IntegerField()),
        "f_rule": Value(rule.code, output_field=CharField()),
        "f_severity": Value(SEVERITIES[rule.severity], output_field=IntegerField()),
        "f_source_id": Col("source_id"),
        "f_record_type": Value(rule.record_type, output_field=CharField()),
        "f_personal_id": Col("personal_id"),
        "f_record_pk": Col("pk"),
    }
    if rule.record_type == "Client":
        extra = {
            "f_hud_id": Col("personal_id"),
            "f_client_id": Col("pk"),
            "f_enrollment_id": null,
            "f_agency_id": owner_agency(),
            "f_hmis_project_id": null,
        }
    elif rule.record_type == "Enrollment":
        extra = {
            "f_hud_id": Col("enrollment_id"),
            "f_client_id": Col("client_id"),
            "f_enrollment_id": Col("pk"),
            "f_agency_id": Col("agency_id"),
            "f_hmis_project_id": Col("project_id"),
        }
    else:  # Exit
        extra = {
            "f_hud_id": Col("exit_id"),
            "f_client_id": Col("enrollment__client_id"),
            "f_enrollment_id": Col("enrollment_id"),
            "f_agency_id": Col("agency_id"),
            "f_hmis_project_id": Col("enrollment__project_id"),
        }
    names = ["f_scan", "f_rule", "f_severity", *(f"f_{c}" for c in FINDING_COLUMNS)]
    return queryset.annotate(**common, **extra).values(*names)


def insert_findings(rule: Rule, queryset: QuerySet, scan_id: int) -> None:
    try:
        sql, params = projection(rule, queryset, scan_id).query.sql_with_params()
    except EmptyResultSet:
        return  # e.g. no SSN failed the test: nothing to insert
    table = Finding._meta.db_table
    columns = ", ".join(["scan_id", "rule", "severity", *FINDING_COLUMNS])
    aliases = ", ".join(
        f"sub.{connection.ops.quote_name(a)}"
        for a in ["f_scan", "f_rule", "f_severity", *(f"f_{c}" for c in FINDING_COLUMNS)]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {aliases} FROM ({sql}) sub", params)


class ProgressWriter:
    """Writes a running scan's progress to its row, visible to other processes at once.

    The scan's work is one uncommitted transaction, and the web and the worker are separate
    processes in production, so neither the scan's own connection nor a per-process cache can
    show progress to the page or the API. On PostgreSQL a SECOND connection (autocommit: each
    UPDATE is its own short transaction) writes ``Scan.progress`` after every rule; this is why
    the scan is held by an advisory lock and not by a lock on its row, which would block these
    UPDATEs. SQLite allows one writer at a time, so there the progress also goes to the cache
    (enough for ``make run``, where everything shares one machine and the default cache).
    """

    def __init__(self, scan_id: int):
        self.scan_id = scan_id
        self.side = None
        if connection.vendor == "postgresql":
            self.side = type(connections[DEFAULT_DB_ALIAS])(
                dict(connection.settings_dict), DEFAULT_DB_ALIAS
            )

    def __call__(self, done: int, total: int) -> None:
        value = {"rules_done": done, "rules_total": total}
        cache.set(f"dq-scan-progress:{self.scan_id}", value, 3600)
        if self.side is None:
            return
        try:
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Scan._meta.db_table} SET progress = %s WHERE id = %s",
                    [json.dumps(value), self.scan_id],
                )
        except DatabaseError:  # progress is a courtesy: never fail a scan over it
            log.warning("could not record progress of scan %s", self.scan_id, exc_info=True)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def live_progress(scan: Scan) -> dict:
    if scan.status == Scan.Status.RUNNING:
        return cache.get(f"dq-scan-progress:{scan.pk}") or scan.progress
    return scan.progress


def _hold(scan_id: int) -> bool:
    """Take the scan for this transaction, or False when another delivery holds it.

    PostgreSQL: a transaction-level advisory lock (released at commit or when a killed worker's
    connection drops), leaving the row free for the progress UPDATEs. SQLite has one writer at a
    time, so the transaction itself is the lock.
    """
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, scan_id])
        return bool(cursor.fetchone()[0])


def claim(scan_id: int) -> bool:
    """Mark the scan running; False when another worker finished it or it does not exist."""
    return bool(
        Scan.objects.filter(
            pk=scan_id, status__in=(Scan.Status.QUEUED, Scan.Status.RUNNING)
        ).update(status=Scan.Status.RUNNING, started=timezone.now(), attempts=Col("attempts") + 1)
    )


def run_scan(scan_id: int, interrupt_after: int | None = None) -> Scan | None:
    """The runner behind the Celery task; ``interrupt_after`` (tests) kills it after N rules."""
    if not claim(scan_id):
        return None
    progress = ProgressWriter(scan_id)
    try:
        with transaction.atomic():
            if not _hold(scan_id):
                return None  # another delivery holds it
            scan = Scan.objects.filter(pk=scan_id, status=Scan.Status.RUNNING).first()
            if scan is None:
                return None  # another delivery finished it meanwhile
            _evaluate(scan, interrupt_after, progress)
            return scan
    except ScanInterrupted:
        raise
    except Exception:
        Scan.objects.filter(pk=scan_id).update(
            status=Scan.Status.FAILED, error=traceback.format_exc(), finished=timezone.now()
        )
        log.exception("data-quality scan %s failed", scan_id)
        raise
    finally:
        progress.close()


def _evaluate(scan: Scan, interrupt_after: int | None, progress: ProgressWriter) -> None:
    started = timezone.now()
    rules, thresholds = enabled_rules(scan.coc_id)
    context = Context(as_of=scan.as_of, thresholds=thresholds)
    bases = base_querysets(scan.coc_id, scan.agency_id)
    lines = [f"{started:%Y-%m-%d %H:%M:%S} scanning {len(rules)} rules as of {scan.as_of}"]
    Finding.objects.filter(scan_id=scan.pk).delete()
    for done, rule in enumerate(rules, start=1):
        if interrupt_after is not None and done > interrupt_after:
            raise ScanInterrupted(f"interrupted after {interrupt_after} rules")
        insert_findings(rule, rule.select(bases[rule.record_type], context), scan.pk)
        progress(done, len(rules))
    if connection.vendor == "postgresql":
        # The merge joins the findings to the flags; without statistics on the rows just
        # written PostgreSQL takes the findings table for empty and picks nested loops over it.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Finding._meta.db_table}")
    now = timezone.now()
    merge_findings(scan, [r.code for r in rules], now)
    if connection.vendor == "postgresql":
        # The inbox and the API lists page the flags through indexes chosen by these statistics;
        # a first scan makes the table many times larger than what autovacuum last saw (200,000
        # clients: 448 estimated open flags for 129,774, so the inbox sorted them all: 126 ms).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Flag._meta.db_table}")
    tables_changed(Flag, FlagEvent)  # lists count flags from a cache (hmis_gov.listcache)
    counts = dict.fromkeys((r.code for r in rules), 0)
    for row in Finding.objects.filter(scan_id=scan.pk).values("rule").annotate(n=Count("pk")):
        counts[row["rule"]] = row["n"]
    store_results(scan, rules, context, bases)
    Finding.objects.filter(scan_id=scan.pk).delete()
    lines.append(f"{sum(counts.values())} findings; {timezone.now() - started} elapsed")
    scan.status = Scan.Status.SUCCEEDED
    scan.counts = counts
    scan.progress = {"rules_done": len(rules), "rules_total": len(rules)}
    scan.finished = timezone.now()
    scan.log = "\n".join(lines)
    scan.error = ""
    scan.save(update_fields=["status", "counts", "progress", "finished", "log", "error"])


def _default_assignee_sql() -> tuple[str, list]:
    """The agency's HMIS administrator / DQ manager in force today (earliest assigned first)."""
    from roles.models import Role, RoleAssignment

    ra, role = RoleAssignment._meta.db_table, Role._meta.db_table
    today = timezone.localdate()
    sql = (
        f"(SELECT ra.user_id FROM {ra} ra INNER JOIN {role} r ON r.id = ra.role_id "
        f"WHERE ra.agency_id = n.agency_id AND r.key = %s AND ra.starts_on <= %s "
        f"AND (ra.ends_on IS NULL OR ra.ends_on > %s) ORDER BY ra.starts_on, ra.id LIMIT 1)"
    )
    return sql, ["agency_hmis_admin", today, today]


def merge_findings(scan: Scan, codes: list[str], now: dt.datetime) -> None:
    """Turn the scan's findings into flags and history: a fixed number of statements."""
    flag, finding, event = Flag._meta.db_table, Finding._meta.db_table, FlagEvent._meta.db_table
    same = (
        f"n.rule = {flag}.rule AND n.source_id = {flag}.source_id "
        f"AND n.record_type = {flag}.record_type AND n.hud_id = {flag}.hud_id"
    )
    found = f"EXISTS (SELECT 1 FROM {finding} n WHERE n.scan_id = %s AND {same})"
    rules_in = ", ".join(["%s"] * len(codes)) or "NULL"
    scope = f"{flag}.coc_id = %s AND {flag}.rule IN ({rules_in})"
    scope_params: list = [scan.coc_id, *codes]
    if scan.agency_id:
        scope += f" AND {flag}.agency_id = %s"
        scope_params.append(scan.agency_id)
    assignee, assignee_params = _default_assignee_sql()
    S = scan.pk  # noqa: N806
    with connection.cursor() as c:
        # 1. New flags: the unique index on (rule, source, record type, HUD id) skips the ones
        # that exist. (A NOT EXISTS over the flags here was planned as a sequential scan of a
        # table the statement itself was filling: quadratic on a CoC's first scan.)
        c.execute(
            f"INSERT INTO {flag} (rule, severity, coc_id, agency_id, hmis_project_id, source_id, "
            f"record_type, hud_id, personal_id, record_pk, client_id, enrollment_id, status, "
            f"reason, assignee_id, first_scan_id, last_scan_id, first_found, last_found, "
            f"status_changed) "
            f"SELECT n.rule, n.severity, %s, n.agency_id, n.hmis_project_id, n.source_id, "
            f"n.record_type, n.hud_id, n.personal_id, n.record_pk, n.client_id, n.enrollment_id, "
            f"'open', '', {assignee}, %s, %s, %s, %s, %s FROM {finding} n "
            f"WHERE n.scan_id = %s "
            f"ON CONFLICT (rule, source_id, record_type, hud_id) DO NOTHING",
            [scan.coc_id, *assignee_params, S, S, now, now, now, S],
        )
        c.execute(
            f"INSERT INTO {event} (flag_id, kind, from_status, to_status, text, scan_id, created) "
            f"SELECT id, 'found', '', 'open', '', %s, %s FROM {flag} WHERE first_scan_id = %s",
            [S, now, S],
        )
        # 2. Found again after "fixed" or "resolved": reopen (accepted stays accepted).
        reopen = f"{scope} AND {flag}.status IN ('fixed', 'resolved') AND {found}"
        c.execute(
            f"INSERT INTO {event} (flag_id, kind, from_status, to_status, text, scan_id, created) "
            f"SELECT id, 'reopened', status, 'open', '', %s, %s FROM {flag} WHERE {reopen}",
            [S, now, *scope_params, S],
        )
        c.execute(
            f"UPDATE {flag} SET status = 'open', status_changed = %s WHERE {reopen}",
            [now, *scope_params, S],
        )
        # 3. Still there: remember the scan that saw it last.
        c.execute(
            f"UPDATE {flag} SET last_scan_id = %s, last_found = %s WHERE {scope} AND {found}",
            [S, now, *scope_params, S],
        )
        # 4. Not found any more: fixed.
        gone = (
            f"{scope} AND {flag}.status IN ('open', 'in_review', 'resolved', 'accepted') "
            f"AND NOT {found}"
        )
        c.execute(
            f"INSERT INTO {event} (flag_id, kind, from_status, to_status, text, scan_id, created) "
            f"SELECT id, 'fixed', status, 'fixed', '', %s, %s FROM {flag} WHERE {gone}",
            [S, now, *scope_params, S],
        )
        c.execute(
            f"UPDATE {flag} SET status = 'fixed', status_changed = %s WHERE {gone}",
            [now, *scope_params, S],
        )


def store_results(scan: Scan, rules: list[Rule], context: Context, bases: dict) -> None:
    """Scorecard rows: per rule, agency and project, records checked and records flagged."""
    flagged: dict[tuple, int] = defaultdict(int)
    rows = (
        Finding.objects.filter(scan_id=scan.pk)
        .values("rule", "agency_id", "hmis_project_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        flagged[(row["rule"], row["agency_id"], row["hmis_project_id"])] = row["n"]
    universes: dict[tuple, list[dict]] = {}
    results = []
    for rule in rules:
        key = (rule.universe, rule.record_type)
        if key not in universes:  # rules sharing a denominator share its query
            universes[key] = _grouped_counts(rule, rule.universe(bases[rule.record_type], context))
        for row in universes[key]:
            agency, project = row["agency"], row["project"]
            results.append(
                ScanResult(
                    scan=scan,
                    rule=rule.code,
                    category=rule.category,
                    agency_id=agency,
                    hmis_project_id=project,
                    records=row["n"],
                    flagged=flagged.pop((rule.code, agency, project), 0),
                )
            )
    for (code, agency, project), n in flagged.items():  # flagged outside its universe
        rule = RULES[code]
        results.append(
            ScanResult(
                scan=scan,
                rule=code,
                category=rule.category,
                agency_id=agency,
                hmis_project_id=project,
                records=n,
                flagged=n,
            )
        )
    results += _timeliness_results(scan, bases)
    ScanResult.objects.bulk_create(results, batch_size=5000)


def _grouped_counts(rule: Rule, queryset: QuerySet) -> list[dict]:
    if rule.record_type == "Client":
        grouped = queryset.annotate(
            g_agency=owner_agency(), g_project=Cast(Value(None), BigIntegerField())
        )
    elif rule.record_type == "Enrollment":
        grouped = queryset.annotate(g_agency=Col("agency_id"), g_project=Col("project_id"))
    else:
        grouped = queryset.annotate(
            g_agency=Col("agency_id"), g_project=Col("enrollment__project_id")
        )
    rows = grouped.values("g_agency", "g_project").annotate(n=Count("pk")).order_by()
    return [{"agency": r["g_agency"], "project": r["g_project"], "n": r["n"]} for r in rows]


def _timeliness_results(scan: Scan, bases: dict) -> list[ScanResult]:
    """HUD's Q6e question as the plan asks it: entered within N days of start / exit."""
    days = dt.timedelta(days=plan_for(scan.coc_id).timely_days)
    out = []
    for code, queryset, event, project in (
        ("ENTRY_ON_TIME", bases["Enrollment"], "entry_date", "project_id"),
        ("EXIT_ON_TIME", bases["Exit"], "exit_date", "enrollment__project_id"),
    ):
        late = Q(_lag__gt=days) | Q(_lag__lt=dt.timedelta(0))
        rows = (
            queryset.alias(_lag=timeliness.lag(event))
            .annotate(g_agency=Col("agency_id"), g_project=Col(project))
            .values("g_agency", "g_project")
            .annotate(n=Count("pk"), late=Count(Case(When(late, then=1))))
            .order_by()
        )
        for row in rows:
            out.append(
                ScanResult(
                    scan=scan,
                    rule=code,
                    category="timeliness",
                    agency_id=row["g_agency"],
                    hmis_project_id=row["g_project"],
                    records=row["n"],
                    flagged=row["late"],
                )
            )
    return out


def start_scan(
    coc_id: int,
    agency_id: int | None = None,
    user=None,
    as_of: dt.date | None = None,
    trigger: str = "manual",
) -> Scan:
    """Record a queued scan and hand it to Celery (after the surrounding transaction commits)."""
    from hmis_gov.runs import send

    from .tasks import scan_task

    scan = Scan.objects.create(
        coc_id=coc_id,
        agency_id=agency_id,
        as_of=as_of or timezone.localdate(),
        created_by=user,
        trigger=trigger,
    )
    transaction.on_commit(lambda: send(scan_task, scan.pk))
    return scan
