"""Builds a report version: the runner behind the Celery task (one row per run, see ReportRun).

A run is claimed with ``hmis_gov.runs.claimed``: a task Celery delivers twice builds once, and a
run whose worker died mid-build (its version was rolled back with its connection) is taken over
by the redelivered task. A rebuild makes a new version and records, cell by cell, what
changed against the previous one; locked or submitted reports are never rebuilt.
"""

from __future__ import annotations

import traceback

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hmis_gov.runs import claimed, send

from . import apr, hic, pit
from .engine import build_settings, count_table
from .models import Report, ReportEvent, ReportRun, ReportVersion

# DQ report question -> the APR table it is (Glossary: APR Q5a = DQ Q1, Q6a..f = DQ Q2..Q7).
DQ_QUESTIONS = {
    "Q1": "Q5a",
    "Q2": "Q6a",
    "Q3": "Q6b",
    "Q4": "Q6c",
    "Q5": "Q6d",
    "Q6": "Q6e",
    "Q7": "Q6f",
}


class ReportFrozen(Exception):
    """The report is locked or submitted: it is never rebuilt."""


def queue_build(report: Report, user=None) -> ReportRun:
    """Record a run and hand it to Celery (eager in tests)."""
    from .tasks import build_report

    if report.is_frozen:
        raise ReportFrozen(f"{report} is {report.get_status_display().lower()}: it never changes.")
    run = ReportRun.objects.create(report=report, requested_by=user)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.QUEUED)
    transaction.on_commit(lambda: send(build_report, run.pk))
    return run


def _log(run: ReportRun, progress: int, line: str) -> None:
    run.progress = progress
    run.log += f"{timezone.now():%H:%M:%S} {line}\n"
    ReportRun.objects.filter(pk=run.pk).update(progress=progress, log=run.log)


def run_build(run_id: int) -> ReportRun | None:
    """Claim the run, build the next version, record how it went (None: not this delivery's)."""
    with claimed(
        ReportRun,
        run_id,
        ReportRun.Status.QUEUED,
        ReportRun.Status.RUNNING,
        started=timezone.now(),
    ) as mine:
        if not mine:
            return None  # delivered twice while a live worker builds it, or already done
        return _build(run_id)


def _build(run_id: int) -> ReportRun:
    run = ReportRun.objects.select_related("report").get(pk=run_id)
    report = run.report
    try:
        if report.is_frozen:
            raise ReportFrozen("The report was locked before the build started.")
        Report.objects.filter(pk=report.pk).update(status=Report.Status.BUILDING)
        version = build_version(report, run)
        ReportRun.objects.filter(pk=run.pk).update(
            status=ReportRun.Status.SUCCEEDED,
            progress=100,
            finished=timezone.now(),
            version=version,
        )
        Report.objects.filter(pk=report.pk).update(status=Report.Status.DRAFT)
        ReportEvent.objects.create(
            report=report,
            action="built",
            user=run.requested_by,
            detail=f"Version {version.number}: {len(version.diff)} cells changed.",
        )
    except Exception as exc:  # recorded on the run; the report goes back to what it was
        ReportRun.objects.filter(pk=run.pk).update(
            status=ReportRun.Status.FAILED,
            finished=timezone.now(),
            error=f"{exc}\n{traceback.format_exc()}",
        )
        if not report.is_frozen:
            has_version = report.versions.exists()
            Report.objects.filter(pk=report.pk).update(
                status=Report.Status.DRAFT if has_version else Report.Status.QUEUED
            )
    run.refresh_from_db()
    return run


@transaction.atomic
def build_version(report: Report, run: ReportRun | None = None) -> ReportVersion:
    build_settings()
    previous = report.versions.order_by("-number").first()
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report, number=number, built_by=run.requested_by if run else None
    )
    progress = (lambda p, line: _log(run, p, line)) if run else (lambda p, line: None)
    tables, summary, warnings = [], {}, []
    if report.kind == Report.Kind.PIT:
        pit.build_universe(version)
        progress(30, "PIT universe snapshotted")
        tables = pit.tables(version)
        summary = pit.summary(version)
    elif report.kind == Report.Kind.HIC:
        hic.build_universe(version)
        progress(30, "HIC residents snapshotted")
        tables, summary, warnings = hic.build(version)
    else:
        apr.build_universe(version)
        progress(30, "APR universe snapshotted")
        tables = apr.tables(version)
        if report.kind == Report.Kind.DQ:
            by_key = {t.key: t for t in tables}
            tables = []
            for dq_key, apr_key in DQ_QUESTIONS.items():
                table = by_key[apr_key]
                table.key = dq_key
                table.title = f"{table.title} (APR {apr_key})"
                tables.append(table)
    result = {}
    for i, table in enumerate(tables):
        result[table.key] = {**table.as_json(count_table(version, table)), "position": i}
        progress(30 + int(65 * (i + 1) / max(len(tables), 1)), f"{table.key} counted")
    version.tables = result
    version.api_summary = summary
    version.warnings = warnings
    version.diff = diff_tables(previous.tables if previous else None, result)
    version.save()
    return version


def diff_tables(before: dict | None, after: dict) -> list[dict]:
    """Every cell whose value differs from the previous version (none for a first build)."""
    if before is None:
        return []
    changes = []
    for key in sorted(set(before) | set(after)):
        old = (before.get(key) or {}).get("cells", {})
        new = (after.get(key) or {}).get("cells", {})
        for cell in sorted(set(old) | set(new)):
            if old.get(cell) != new.get(cell):
                changes.append(
                    {"table": key, "cell": cell, "before": old.get(cell), "after": new.get(cell)}
                )
    return changes
