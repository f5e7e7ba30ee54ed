"""Faults: a worker killed (SIGKILL) in the middle of an import, a data-quality scan and a report
build. Each time the task is redelivered (late acknowledgement), the next worker takes the run
over (``hmis_gov.runs``), and the result equals an uninterrupted run: no duplicate rows or flags.

The stack runs with a short broker visibility timeout so that the killed worker's task comes back
within seconds (production keeps an hour: CELERY_VISIBILITY_TIMEOUT). Redis and PostgreSQL
outages are in ``test_faults_outages.py`` (a Redis of their own).
"""

import dataclasses
import itertools
import signal
import time

import psycopg2
import pytest
import requests

# Redelivered 15 s after the kill, looked for every 10 s (kombu's default: every 100 s).
STACK_ENV = {"CELERY_VISIBILITY_TIMEOUT": "15", "CELERY_UNACKED_RESTORE_THROTTLE": "1"}


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


FRESH_WORKERS = itertools.count(3)  # the import test starts worker2


def kill_the_worker_and_start_another(stack) -> None:
    """SIGKILL the running worker (the whole process group) and start a fresh one."""
    for name in [name for name in stack.processes if name.startswith("worker")]:
        stack.kill(name, signal.SIGKILL)
    stack.start_worker(f"worker{next(FRESH_WORKERS)}")


def worker_logs(stack) -> str:
    names = sorted(p.stem for p in stack.workdir.glob("worker*.log"))
    return "\n".join(f"--- {name}\n{stack.log(name)[-1500:]}" for name in names)


def wait_sql(stack, query: str, *params, timeout: float = 600, every: float = 0.05):
    """Poll until the query returns a row (a fast poll: the kill must land mid-run)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = sql(stack, query, *params)
        if rows:
            return rows[0]
        time.sleep(every)
    raise AssertionError(f"never true: {query} {params}\n{worker_logs(stack)}")


@pytest.fixture(scope="module")
def records(stack, tmp_path_factory):
    """XX-500 with a few thousand clients, so that a scan or an APR takes seconds."""
    from hmis.demo import demo_options
    from hmis.synthetic import generate

    admin = stack.token("cocadmin")
    coc_id = stack.get("/api/v1/cocs/?code=XX-500", token=admin)["results"][0]["id"]
    if sql(stack, "SELECT count(*) FROM hmis_client")[0][0] < 3000:  # the import test did not run
        export = tmp_path_factory.mktemp("records") / "records.zip"
        generate(export, dataclasses.replace(demo_options(), clients=3000, seed=7, export_id="R-1"))
        stack.create_source(admin, coc_id, "records")
        run = upload(stack, admin, coc_id, "records", export)
        assert wait_status(stack, run, admin, {"succeeded", "failed"})["status"] == "succeeded"
    return admin, coc_id


def flag_set(stack, coc_id: int) -> list[tuple]:
    return sql(
        stack,
        "SELECT rule, source_id, record_type, hud_id, status FROM dataquality_flag "
        "WHERE coc_id = %s ORDER BY 1, 2, 3, 4",
        coc_id,
    )


def test_a_worker_killed_mid_scan_is_redelivered_and_equals_an_uninterrupted_scan(stack, records):
    admin, coc_id = records
    before = flag_set(stack, coc_id)
    status, body = stack.request("POST", "/api/v1/dq/scans/", {"coc": coc_id}, token=admin)
    assert status == 202
    killed = body["id"]
    # Running, with at least one rule done (progress is written from a second connection).
    wait_sql(
        stack,
        "SELECT 1 FROM dataquality_scan WHERE id = %s AND status = 'running' "
        "AND (progress->>'rules_done')::int >= 1",
        killed,
    )
    kill_the_worker_and_start_another(stack)
    status_now, counts_now = sql(
        stack, "SELECT status, counts FROM dataquality_scan WHERE id = %s", killed
    )[0]
    assert (status_now, counts_now) == ("running", {}), "the kill came too late: scan finished"
    assert flag_set(stack, coc_id) == before  # the scan's transaction died with its worker

    scan = wait_sql(
        stack,
        "SELECT status, counts, attempts FROM dataquality_scan WHERE id = %s "
        "AND status IN ('succeeded', 'failed')",
        killed,
    )
    assert scan[0] == "succeeded", worker_logs(stack)
    assert scan[2] == 2  # the first delivery (killed) and the redelivery
    after_killed = flag_set(stack, coc_id)

    status, body = stack.request("POST", "/api/v1/dq/scans/", {"coc": coc_id}, token=admin)
    whole = wait_sql(
        stack,
        "SELECT status, counts FROM dataquality_scan WHERE id = %s "
        "AND status IN ('succeeded', 'failed')",
        body["id"],
    )
    assert whole == ("succeeded", scan[1])  # the same counts, rule by rule
    assert sum(scan[1].values()) > 0
    assert flag_set(stack, coc_id) == after_killed  # the same flags in the same states
    duplicates = sql(
        stack,
        "SELECT count(*) - count(DISTINCT (rule, source_id, record_type, hud_id)) "
        "FROM dataquality_flag WHERE coc_id = %s",
        coc_id,
    )[0][0]
    assert duplicates == 0
    results = sql(
        stack,
        "SELECT scan_id, count(*) FROM dataquality_scanresult WHERE scan_id IN (%s, %s) "
        "GROUP BY scan_id ORDER BY scan_id",
        killed,
        body["id"],
    )
    assert results[0][1] == results[1][1] > 0  # the same scorecard rows


def test_a_worker_killed_mid_pit_build_is_redelivered_and_equals_an_uninterrupted_build(
    stack, records
):
    admin, coc_id = records
    projects = stack.get(f"/api/v1/projects/?coc={coc_id}&page_size=100", token=admin)["results"]
    shelters = [p["id"] for p in projects if p["project_type"] in (0, 1, 2, 8)]
    body = {"kind": "pit", "coc": coc_id, "projects": shelters, "night": "2026-01-28"}
    status, created = stack.request("POST", "/api/v1/reports/", body, token=admin)
    assert status == 202, created
    report, run = created["id"], created["run"]
    wait_sql(stack, "SELECT 1 FROM reports_reportrun WHERE id = %s AND status = 'running'", run)
    kill_the_worker_and_start_another(stack)
    assert sql(stack, "SELECT status FROM reports_reportrun WHERE id = %s", run)[0][0] == (
        "running"
    ), "the kill came too late: the build finished"
    # The version being built was rolled back with the dead worker's connection.
    assert (
        sql(stack, "SELECT count(*) FROM reports_reportversion WHERE report_id = %s", report)[0][0]
        == 0
    )

    done = wait_sql(
        stack,
        "SELECT status, error FROM reports_reportrun WHERE id = %s "
        "AND status IN ('succeeded', 'failed')",
        run,
    )
    assert done[0] == "succeeded", done[1]
    first = stack.get(f"/api/v1/reports/{report}/", token=admin)
    assert first["status"] == "draft"

    status, rebuilt = stack.request("POST", f"/api/v1/reports/{report}/rebuild/", token=admin)
    assert status == 202
    wait_sql(
        stack,
        "SELECT 1 FROM reports_reportrun WHERE id = %s AND status IN ('succeeded', 'failed')",
        rebuilt["run"],
    )
    second = stack.get(f"/api/v1/reports/{report}/", token=admin)
    assert second["tables"] == first["tables"]  # the same tables, cell by cell
    assert first["tables"]["totals"]["persons"] > 0
    versions = stack.get(f"/api/v1/reports/{report}/versions/", token=admin)
    assert sorted(v["number"] for v in versions) == [1, 2]  # no duplicate version
    assert all(v["diff"] == [] for v in versions)  # the rebuild changed no cell
