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


def poll(stack, path: str, token: str, done=("succeeded", "failed", "draft"), timeout=300):
    deadline = time.monotonic() + timeout
    body = None
    while time.monotonic() < deadline:
        body = stack.get(path, token=token)
        if body.get("status") in done:
            return body
        time.sleep(1)
    raise AssertionError(
        f"{path} still {body and body.get('status')}:\n{stack.log('worker')[-3000:]}"
    )


def test_import_scan_and_report_end_to_end_through_the_worker(stack, tmp_path):
    """Upload an export (a second vendor system), scan the CoC, build a PIT draft, read them."""
    import dataclasses

    import requests

    from hmis.demo import demo_options
    from hmis.synthetic import generate

    export = tmp_path / "vendor-b.zip"
    options = dataclasses.replace(
        demo_options(), clients=120, seed=99, export_id="E2E-1", source_name="Vendor B"
    )
    generate(export, options)
    admin = stack.token("cocadmin")
    coc = stack.get("/api/v1/cocs/?code=XX-500", token=admin)["results"][0]
    stack.create_source(admin, coc["id"], "vendor-b")

    with export.open("rb") as upload:
        response = requests.post(
            f"{stack.base_url}/api/v1/imports/",
            headers={"Authorization": f"Token {admin}"},
            data={"coc": coc["id"], "source": "vendor-b"},
            files={"file": ("vendor-b.zip", upload, "application/zip")},
            timeout=60,
        )
    assert response.status_code == 202, response.text
    run = poll(stack, f"/api/v1/imports/{response.json()['id']}/", admin)
    assert run["status"] == "succeeded", run["errors"][:5]
    assert run["counts"]["Client"] == 120

    status, scan = stack.request("POST", "/api/v1/dq/scans/", {"coc": coc["id"]}, token=admin)
    assert status == 202
    scan = poll(stack, f"/api/v1/dq/scans/{scan['id']}/", admin)
    assert scan["status"] == "succeeded" and sum(scan["counts"].values()) > 0

    projects = stack.get("/api/v1/projects/?page_size=100", token=admin)["results"]
    shelters = [p["id"] for p in projects if p["project_type"] in (0, 1, 2, 8)]
    status, report = stack.request(
        "POST",
        "/api/v1/reports/",
        {"kind": "pit", "coc": coc["id"], "projects": shelters, "night": "2026-01-28"},
        token=admin,
    )
    assert status == 202
    report = poll(stack, f"/api/v1/reports/{report['id']}/", admin)
    assert report["status"] == "draft"
    assert report["tables"]["totals"]["persons"] > 0

    # Agency B's manager reads the same results, restricted to Agency B.
    dqm_b = stack.token("dqm_b")
    flags = stack.get("/api/v1/dq/flags/?page_size=500", token=dqm_b)["results"]
    assert flags and {flag["agency"] for flag in flags} <= {
        a["id"] for a in stack.get("/api/v1/agencies/", token=dqm_b)["results"]
    }
