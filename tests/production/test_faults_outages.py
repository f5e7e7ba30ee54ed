"""Faults: Redis restarted mid-run and a PostgreSQL connection dropped during a request.

The stack has a Redis of its own (``PRIVATE_REDIS``: a child process without persistence, never
the machine's shared one), so the test can crash it and start it again empty. Requeueing runs
every few seconds here (production: every 5 minutes, runs queued for 10).
"""

from __future__ import annotations

import json
import re
import signal
import threading
import time
import urllib.error
import uuid

import psycopg2
import requests

PRIVATE_REDIS = True
STACK_ENV = {"RUNS_REQUEUE_EVERY": "2", "RUNS_REQUEUE_AFTER": "4"}


def sql(stack, query: str, *params):
    with psycopg2.connect(stack.env["DATABASE_URL"]) as conn, conn.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else None


def healthz(stack) -> tuple[int, dict]:
    try:
        return 200, stack.get("/healthz")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_for(predicate, timeout: float, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(message())


def logs(stack, *names) -> str:
    return "\n".join(f"--- {n}\n{stack.log(n)[-2000:]}" for n in names)


def test_redis_restarted_healthz_says_so_and_queued_work_is_not_lost(stack):
    admin = stack.token("cocadmin")
    coc_id = stack.get("/api/v1/cocs/?code=XX-500", token=admin)["results"][0]["id"]
    assert healthz(stack)[0] == 200

    # 1. A scan whose message is in Redis when Redis crashes (no worker is taking messages).
    stack.kill("worker", signal.SIGTERM)
    status, scan = stack.request("POST", "/api/v1/dq/scans/", {"coc": coc_id}, token=admin)
    assert status == 202
    assert "dataquality.tasks.scan_task" in stack.redis.queued_tasks()
    stack.redis.stop()  # a crash: the queued message is gone with it

    # 2. /healthz reports the broker down; the database is fine.
    code, health = healthz(stack)
    assert code == 503 and health["status"] == "degraded"
    assert health["broker"]["ok"] is False and health["database"]["ok"] is True

    # 3. A report queued while Redis is down: accepted, its run waits as a row.
    projects = [
        p["id"] for p in stack.get("/api/v1/projects/?page_size=100", token=admin)["results"]
    ]
    body = {"kind": "pit", "coc": coc_id, "projects": projects, "night": "2026-01-28"}
    status, report = stack.request("POST", "/api/v1/reports/", body, token=admin)
    assert status == 202, report
    assert sql(stack, "SELECT status FROM reports_reportrun WHERE id = %s", report["run"]) == [
        ("queued",)
    ]

    # 4. Redis comes back empty; a worker starts; beat's requeue_stale_runs sends both again.
    stack.redis.start()
    assert "dataquality.tasks.scan_task" not in stack.redis.queued_tasks()  # lost in the crash
    stack.start_worker("worker2")
    assert wait_for(lambda: healthz(stack)[0] == 200, 30, lambda: str(healthz(stack)))
    wait_for(
        lambda: sql(
            stack,
            "SELECT 1 FROM dataquality_scan WHERE id = %s AND status = 'succeeded'",
            scan["id"],
        ),
        120,
        lambda: "the scan was lost:\n" + logs(stack, "beat", "worker2"),
    )
    wait_for(
        lambda: sql(
            stack,
            "SELECT 1 FROM reports_reportrun WHERE id = %s AND status = 'succeeded'",
            report["run"],
        ),
        120,
        lambda: "the report build was lost:\n" + logs(stack, "beat", "worker2"),
    )
    assert stack.get(f"/api/v1/reports/{report['id']}/", token=admin)["status"] == "draft"
    assert "hmis_gov.requeue_stale_runs" in stack.log("worker2")
    # Each run ran once although it may have been sent more than once.
    attempts = sql(stack, "SELECT attempts FROM dataquality_scan WHERE id = %s", scan["id"])
    assert attempts == [(1,)]
    assert sql(
        stack, "SELECT count(*) FROM reports_reportversion WHERE report_id = %s", report["id"]
    ) == [(1,)]

    # 5. A worker that was running through a Redis restart reconnects and takes new work.
    stack.redis.stop()
    stack.redis.start()
    status, again = stack.request("POST", "/api/v1/dq/scans/", {"coc": coc_id}, token=admin)
    assert status == 202
    wait_for(
        lambda: sql(
            stack,
            "SELECT 1 FROM dataquality_scan WHERE id = %s AND status = 'succeeded'",
            again["id"],
        ),
        120,
        lambda: "the worker did not come back after Redis restarted:\n" + logs(stack, "worker2"),
    )


def open_flag(stack, token: str) -> int:
    flags = stack.get("/api/v1/dq/flags/?status=open&page_size=1", token=token)["results"]
    assert flags, "the demo scan left no open flag for agency A"
    return flags[0]["id"]


def terminate_the_request_waiting_on(stack, flag_id: int, send) -> object:
    """Hold the flag's row, send the request in a thread, terminate the request's backend once it
    waits on that row (its first write done, its second blocked), then let go of the row."""
    result = {}
    holder = psycopg2.connect(stack.env["DATABASE_URL"])
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT id FROM dataquality_flag WHERE id = %s FOR UPDATE", [flag_id])
        thread = threading.Thread(target=lambda: result.setdefault("response", send()))
        thread.start()
        database = stack.env["DATABASE_URL"].rsplit("/", 1)[1]
        pid = wait_for(
            lambda: sql(
                stack,
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
                "AND query ILIKE 'UPDATE%%dataquality_flag%%'",
                database,
            ),
            30,
            lambda: "the request never waited on the flag:\n" + stack.log("web")[-2000:],
        )[0][0]
        assert sql(stack, "SELECT pg_terminate_backend(%s)", pid) == [(True,)]
    finally:
        holder.rollback()
        holder.close()
    thread.join(60)
    return result["response"]


def flag_state(stack, flag_id: int, marker: str):
    status = sql(stack, "SELECT status FROM dataquality_flag WHERE id = %s", flag_id)[0][0]
    events = sql(
        stack, "SELECT count(*) FROM dataquality_flagevent WHERE flag_id = %s AND text LIKE %s",
        flag_id, f"%{marker}%",
    )[0][0]  # fmt: skip
    return status, events


def test_a_connection_dropped_mid_api_write_answers_503_and_writes_nothing(stack):
    token = stack.token("dqm_a")
    flag_id = open_flag(stack, token)
    marker = f"api-{uuid.uuid4().hex[:8]}"

    def patch():
        return requests.patch(
            f"{stack.base_url}/api/v1/dq/flags/{flag_id}/",
            json={"status": "in_review", "reason": f"calling the shelter {marker}"},
            headers={"Authorization": f"Token {token}"},
            timeout=60,
        )

    response = terminate_the_request_waiting_on(stack, flag_id, patch)
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert (body["status"], body["code"]) == (503, "database_unavailable")
    # The history row was inserted before the flag's UPDATE waited: rolled back with it.
    assert flag_state(stack, flag_id, marker) == ("open", 0)

    # The gunicorn worker dropped the dead connection: the retry goes through.
    again = patch()
    assert again.status_code == 200, again.text
    assert flag_state(stack, flag_id, marker) == ("in_review", 1)
    assert healthz(stack)[0] == 200


def unsecure(session: requests.Session) -> None:
    """Production marks its cookies Secure (HTTPS behind the proxy); this test speaks plain HTTP
    on loopback, so it hands them back itself."""
    for cookie in session.cookies:
        cookie.secure = False


def logged_in_session(stack, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{stack.base_url}/login/", timeout=30)
    unsecure(session)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{stack.base_url}/login/",
        data={"username": username, "password": "demo-pass-2026", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{stack.base_url}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:2000]
    unsecure(session)
    return session


def test_a_connection_dropped_mid_page_write_answers_a_503_page_and_writes_nothing(stack):
    token = stack.token("dqm_a")
    flag_id = open_flag(stack, token)
    session = logged_in_session(stack, "dqm_a")
    page = session.get(f"{stack.base_url}/data-quality/flags/{flag_id}/", timeout=30)
    assert page.status_code == 200
    unsecure(session)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    marker = f"page-{uuid.uuid4().hex[:8]}"

    def post():
        return session.post(
            f"{stack.base_url}/data-quality/flags/{flag_id}/",
            data={
                "csrfmiddlewaretoken": csrf,
                "comment": f"Called the shelter {marker}",
                "status": "in_review",
                "reason": "",
            },
            headers={"Referer": page.url},
            allow_redirects=False,
            timeout=60,
        )

    response = terminate_the_request_waiting_on(stack, flag_id, post)
    assert response.status_code == 503, response.text[:2000]
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Temporarily unavailable" in response.text
    # Neither the comment (written first) nor the status change is left behind.
    assert flag_state(stack, flag_id, marker) == ("open", 0)
