"""Queued work is not lost when the broker is: a run is a row first and a message second.

A run queued while Redis is down stays ``queued`` (the request answers as usual), and the beat
task ``requeue_stale_runs`` sends again every run still queued after ``RUNS_REQUEUE_AFTER``
seconds (a Redis restarted without persistence loses its queue), and on PostgreSQL every run
left ``running`` with no live worker holding it. Tasks run eagerly here, so a run that is sent is
also executed.
"""

from __future__ import annotations

import datetime as dt
import io

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from dataquality.models import Scan
from dataquality.scans import LOCK_NAMESPACE, start_scan
from hmis.importer import create_run
from hmis.models import ImportRun, Source
from hmis_gov.runs import _lock_keys, requeue_stale_runs, send
from reports.builder import queue_build
from reports.models import Report, ReportRun
from tests import hmis_builder as hb

LONG_AGO = timezone.now() - dt.timedelta(hours=1)


@pytest.fixture
def private_media(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def broker_down(monkeypatch):
    """Every task's ``delay`` fails as Celery's does when Redis refuses the connection."""

    def refuse(self, *args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr("celery.app.task.Task.delay", refuse)


def make_stale(model, pk) -> None:
    model._base_manager.filter(pk=pk).update(created=LONG_AGO)


def test_a_scan_queued_while_the_broker_is_down_is_accepted_and_stays_queued(
    demo, api_as, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("cocadmin").post(
            "/api/v1/dq/scans/", {"coc": demo.xx500.pk}, format="json"
        )
    assert response.status_code == 202, response.content
    assert Scan.objects.get(pk=response.json()["id"]).status == Scan.Status.QUEUED


def test_a_report_queued_while_the_broker_is_down_is_accepted_and_stays_queued(
    demo, api_as, broker_down, django_capture_on_commit_callbacks
):
    body = {"kind": "pit", "coc": demo.xx500.pk, "projects": [demo.project_a.pk],
            "night": "2026-01-28"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("cocadmin").post("/api/v1/reports/", body, format="json")
    assert response.status_code == 202, response.content
    assert ReportRun.objects.get(pk=response.json()["run"]).status == ReportRun.Status.QUEUED


def test_send_says_whether_the_broker_took_the_message(demo, broker_down):
    from dataquality.tasks import scan_task

    scan = start_scan(demo.xx500.pk)
    assert send(scan_task, scan.pk) is False
    scan.refresh_from_db()
    assert scan.status == Scan.Status.QUEUED


def test_stale_queued_runs_of_every_kind_are_sent_again_and_run(demo, private_media):
    source = Source.objects.create(coc=demo.xx500, name="Vendor", key="vendor")
    imported = create_run(io.BytesIO(hb.valid_export()), demo.xx500, source)
    scan = start_scan(demo.xx500.pk)  # on_commit never fires here: its message is "lost"
    report = Report.objects.create(coc=demo.xx500, kind="pit", night=dt.date(2026, 1, 28))
    report.projects.set([demo.project_a])
    build = queue_build(report)
    for model, pk in ((ImportRun, imported.pk), (Scan, scan.pk), (ReportRun, build.pk)):
        make_stale(model, pk)

    sent = requeue_stale_runs()

    assert sent == {"hmis.ImportRun": 1, "dataquality.Scan": 1, "reports.ReportRun": 1}
    imported.refresh_from_db()
    scan.refresh_from_db()
    build.refresh_from_db()
    assert imported.status == ImportRun.Status.SUCCEEDED, imported.errors[:3]
    assert imported.counts["Client"] > 0
    assert scan.status == Scan.Status.SUCCEEDED and scan.attempts == 1
    assert build.status == ReportRun.Status.SUCCEEDED and build.version.number == 1


def test_recent_and_finished_runs_are_not_sent_again(demo):
    recent = start_scan(demo.xx500.pk)
    finished = start_scan(demo.xx500.pk)
    Scan.objects.filter(pk=finished.pk).update(status=Scan.Status.SUCCEEDED, created=LONG_AGO)
    failed = start_scan(demo.xx500.pk)
    Scan.objects.filter(pk=failed.pk).update(status=Scan.Status.FAILED, created=LONG_AGO)

    assert requeue_stale_runs()["dataquality.Scan"] == 0
    statuses = dict(Scan.objects.values_list("pk", "status"))
    assert statuses == {recent.pk: "queued", finished.pk: "succeeded", failed.pk: "failed"}


def test_a_run_sent_twice_runs_once(demo):
    scan = start_scan(demo.xx500.pk)
    make_stale(Scan, scan.pk)
    requeue_stale_runs()
    assert requeue_stale_runs()["dataquality.Scan"] == 0  # succeeded: nothing to send
    scan.refresh_from_db()
    assert scan.attempts == 1


def test_the_beat_schedule_runs_the_requeue_task(settings):
    from hmis_gov.celery import app

    app.loader.import_default_modules()  # what a worker and beat do when they start
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-stale-runs"]
    assert entry["task"] in app.tasks
    assert 0 < entry["schedule"] < settings.RUNS_REQUEUE_AFTER


def other_connection():
    s = connection.settings_dict
    return psycopg2.connect(
        dbname=s["NAME"],
        user=s["USER"],
        host=s["HOST"],
        port=s["PORT"] or 5432,
        password=s["PASSWORD"] or None,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_a_run_left_running_by_a_dead_worker_is_sent_again(demo):
    dead = start_scan(demo.xx500.pk)
    Scan.objects.filter(pk=dead.pk).update(status=Scan.Status.RUNNING, started=LONG_AGO)
    report = Report.objects.create(coc=demo.xx500, kind="pit", night=dt.date(2026, 1, 28))
    report.projects.set([demo.project_a])
    build = queue_build(report)
    ReportRun.objects.filter(pk=build.pk).update(status=ReportRun.Status.RUNNING, started=LONG_AGO)

    sent = requeue_stale_runs()

    assert sent["dataquality.Scan"] == 1 and sent["reports.ReportRun"] == 1
    dead.refresh_from_db()
    build.refresh_from_db()
    assert dead.status == Scan.Status.SUCCEEDED
    assert build.status == ReportRun.Status.SUCCEEDED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_a_run_a_live_worker_holds_is_not_sent_again(demo):
    live_scan = start_scan(demo.xx500.pk)
    Scan.objects.filter(pk=live_scan.pk).update(status=Scan.Status.RUNNING, started=LONG_AGO)
    report = Report.objects.create(coc=demo.xx500, kind="pit", night=dt.date(2026, 1, 28))
    report.projects.set([demo.project_a])
    build = queue_build(report)
    ReportRun.objects.filter(pk=build.pk).update(status=ReportRun.Status.RUNNING, started=LONG_AGO)
    worker = other_connection()  # a live worker: it holds both runs' locks
    try:
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, live_scan.pk])
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", _lock_keys(ReportRun, build.pk))
        sent = requeue_stale_runs()
    finally:
        worker.close()
    assert sent["dataquality.Scan"] == 0 and sent["reports.ReportRun"] == 0
    assert Scan.objects.get(pk=live_scan.pk).status == Scan.Status.RUNNING
