"""Claiming background runs: exactly once, and taking over a run whose worker died."""

import time

import psycopg2
import pytest
from django.db import connection

from hmis.models import ImportRun, Source
from hmis_gov.runs import _lock_keys, claimed

Q, R = ImportRun.Status.QUEUED, ImportRun.Status.RUNNING


@pytest.fixture
def run(demo):
    source = Source.objects.create(coc=demo.xx500, name="Vendor", key="vendor")
    return ImportRun.objects.create(coc=demo.xx500, source=source, file="x.zip", status=Q)


def test_a_queued_run_is_claimed_once(run):
    with claimed(ImportRun, run.pk, Q, R) as first:
        assert first is True
    run.refresh_from_db()
    assert run.status == R
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.SUCCEEDED)
    with claimed(ImportRun, run.pk, Q, R) as again:
        assert again is False  # a finished run is never run again


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_a_running_run_whose_worker_died_is_taken_over(run):
    ImportRun.objects.filter(pk=run.pk).update(status=R)  # left behind by a killed worker
    with claimed(ImportRun, run.pk, Q, R) as mine:
        assert mine is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_a_running_run_held_by_a_live_worker_is_left_alone(run):
    ImportRun.objects.filter(pk=run.pk).update(status=R)
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", _lock_keys(ImportRun, run.pk))
        with claimed(ImportRun, run.pk, Q, R) as mine:
            assert mine is False
    finally:
        other.close()  # the "worker" dies: its lock goes with its connection
    wait_until_released(*_lock_keys(ImportRun, run.pk))
    with claimed(ImportRun, run.pk, Q, R) as mine:
        assert mine is True


def wait_until_released(classid: int, objid: int) -> None:
    # The server ends a closed session's backend (and drops its locks) a moment later.
    for _ in range(100):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
                "AND objid = %s",
                [classid, objid],
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's rule")
def test_on_sqlite_only_queued_runs_are_claimed(run):
    ImportRun.objects.filter(pk=run.pk).update(status=R)
    with claimed(ImportRun, run.pk, Q, R) as mine:
        assert mine is False
