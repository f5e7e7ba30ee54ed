"""gunicorn + Celery worker + beat on PostgreSQL and Redis, exercised end to end over HTTP."""

import time

import psycopg2
import pytest


def sql(stack, query: str, *params):
    with psycopg2.connect(stack.env["DATABASE_URL"]) as conn, conn.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else None


def wait_for(predicate, timeout: float = 60, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(message or "condition not met in time")


def test_healthz_reports_postgresql_and_redis(stack):
    health = stack.get("/healthz")
    assert health["status"] == "ok"
    assert health["database"] == {"ok": True, "detail": "postgresql"}
    assert health["broker"]["ok"] is True and health["broker"]["kind"] == "redis"


def test_api_reads_are_restricted_through_gunicorn(stack):
    dqm_b = stack.token("dqm_b")
    agencies = stack.get("/api/v1/agencies/", token=dqm_b)["results"]
    assert [a["hud_organization_id"] for a in agencies] == ["B"]
    admin = stack.token("cocadmin")
    assert stack.get("/api/v1/cocs/", token=admin)["count"] == 1


# The test process runs tasks eagerly; send_task goes to the real broker all the same.
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_task_sent_through_redis_is_run_by_the_worker_process(stack):
    """End an assignment behind the app's back (no signal), then let the worker apply it."""
    from hmis_gov.celery import app

    sql(
        stack,
        "UPDATE roles_roleassignment SET ends_on = CURRENT_DATE WHERE user_id = "
        "(SELECT id FROM roles_user WHERE username = 'staff_a')",
    )
    token = stack.token("staff_a")
    assert stack.get("/api/v1/agencies/", token=token)["count"] == 1  # not yet applied

    with app.connection_for_write(stack.env["REDIS_URL"]) as connection:
        app.send_task("roles.tasks.sync_role_assignments", connection=connection)

    wait_for(
        lambda: stack.get("/api/v1/agencies/", token=token)["count"] == 0,
        message="the worker did not apply the ended assignment:\n" + stack.log("worker")[-2000:],
    )


def test_beat_is_running_with_the_database_scheduler(stack):
    wait_for(lambda: "beat: Starting" in stack.log("beat"), timeout=30)
    rows = sql(stack, "SELECT name FROM django_celery_beat_periodictask")
    assert ("sync-role-assignments",) in rows
