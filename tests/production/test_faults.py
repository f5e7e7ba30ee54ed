"""Faults: a worker killed in the middle of an import; Redis restarted with work queued.

The stack runs with a short broker visibility timeout so that the killed worker's task comes back
within seconds (production keeps an hour: CELERY_VISIBILITY_TIMEOUT).
"""

import dataclasses
import signal
import time

import psycopg2
import requests

STACK_ENV = {"CELERY_VISIBILITY_TIMEOUT": "15"}


def sql(stack, query: str, *params):
    with psycopg2.connect(stack.env["DATABASE_URL"]) as conn, conn.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else None


def upload(stack, token: str, coc_id: int, source: str, path) -> int:
    with path.open("rb") as handle:
        response = requests.post(
            f"{stack.base_url}/api/v1/imports/",
            headers={"Authorization": f"Token {token}"},
            data={"coc": coc_id, "source": source},
            files={"file": (path.name, handle, "application/zip")},
            timeout=60,
        )
    assert response.status_code == 202, response.text
    return response.json()["id"]


def wait_status(stack, run_id: int, token: str, statuses, timeout: float = 600) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = stack.get(f"/api/v1/imports/{run_id}/", token=token)
        if run["status"] in statuses:
            return run
        time.sleep(0.2)
    raise AssertionError(
        f"import {run_id} never reached {statuses}:\n{stack.log('worker')[-3000:]}"
    )


def source_counts(stack, key: str) -> dict[str, int]:
    tables = ["client", "enrollment", "exit", "services", "incomebenefits", "disabilities"]
    return {
        table: sql(
            stack,
            f"SELECT count(*) FROM hmis_{table} t JOIN hmis_source s ON s.id = t.source_id "
            "WHERE s.key = %s",
            key,
        )[0][0]
        for table in tables
    }


def test_a_worker_killed_mid_import_is_redelivered_and_equals_an_uninterrupted_run(stack, tmp_path):
    from hmis.demo import demo_options
    from hmis.synthetic import generate

    export = tmp_path / "big.zip"
    generate(export, dataclasses.replace(demo_options(), clients=3000, seed=5, export_id="F-1"))
    admin = stack.token("cocadmin")
    coc_id = stack.get("/api/v1/cocs/?code=XX-500", token=admin)["results"][0]["id"]
    for key in ("killed", "whole"):
        stack.create_source(admin, coc_id, key)

    killed = upload(stack, admin, coc_id, "killed", export)
    wait_status(stack, killed, admin, {"running"})
    stack.kill("worker", signal.SIGKILL)  # the whole worker, as a lost container would be
    assert stack.get(f"/api/v1/imports/{killed}/", token=admin)["status"] == "running"
    assert source_counts(stack, "killed")["client"] == 0  # nothing half written

    stack.start_worker("worker2")
    run = wait_status(stack, killed, admin, {"succeeded", "failed"})
    assert run["status"] == "succeeded", run["errors"][:3]

    whole = upload(stack, admin, coc_id, "whole", export)
    assert wait_status(stack, whole, admin, {"succeeded", "failed"})["status"] == "succeeded"
    assert source_counts(stack, "killed") == source_counts(stack, "whole")
    assert source_counts(stack, "killed")["client"] == 3000
