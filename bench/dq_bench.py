"""Data-quality scan benchmark (issue 5, item 8): a full scan of a generated CoC on PostgreSQL.

Run by hand, never in the test suite::

    .venv/bin/python bench/dq_bench.py                        # 20,000 then 200,000 clients
    .venv/bin/python bench/dq_bench.py --clients 200000 --reuse   # one size, shared database
    .venv/bin/python bench/dq_bench.py --clients 200000 --explain 3   # + EXPLAIN ANALYZE top 3

For each size it (1) gets the shared generated CoC database ``bench_<N>k`` from
``bench/shared.py`` (built once: generate, CoC setup, real importer, ``ANALYZE``; reused while
complete), (2) in a child process removes the CoC's earlier scans and flags (so the first scan
is a first scan again), runs a full scan of the CoC (``dataquality.scans.run_scan``, the Celery
task's runner) counting its SQL statements and timing each, a second scan (the nightly steady
state: flags exist, few change), and one sequential read of every table the rules read
(``COPY (SELECT * FROM t) TO STDOUT`` into a byte counter), the floor a set-based scan is
measured against. It prints the slowest statements of the first scan (``--explain N`` runs
``EXPLAIN ANALYZE`` on the N slowest read-only ones). Targets: scan ≤ 60 s, ≤ 10× the
sequential read, and the same statement count at every size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from docs_block import replace_block  # noqa: E402  (bench/ is the script's folder)

sys.path.insert(0, str(ROOT / "bench"))

import shared  # noqa: E402

DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- dq-bench:start -->", "<!-- dq-bench:end -->"
TARGET_SECONDS, TARGET_RATIO = 60.0, 10.0

SCAN_CHILD = r"""
import datetime as dt, json, sys, time
import django
django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from agencies.models import ContinuumOfCare
from dataquality.models import Flag, Scan
from dataquality.rules import RULES
from dataquality.scans import run_scan
from hmis import models as hmis

coc = ContinuumOfCare.objects.get(code="XX-500")
as_of = dt.date.fromisoformat(sys.argv[1])
explain = int(sys.argv[2])
# A first scan again: no earlier scan, flag or history of this CoC.
with connection.cursor() as cursor:
    cursor.execute("DELETE FROM dataquality_flagevent e USING dataquality_flag f "
                   "WHERE e.flag_id = f.id AND f.coc_id = %s", [coc.pk])
    cursor.execute("DELETE FROM dataquality_flag WHERE coc_id = %s", [coc.pk])
    cursor.execute("DELETE FROM dataquality_scanresult r USING dataquality_scan s "
                   "WHERE r.scan_id = s.id AND s.coc_id = %s", [coc.pk])
    cursor.execute("DELETE FROM dataquality_finding")
    cursor.execute("DELETE FROM dataquality_scan WHERE coc_id = %s", [coc.pk])
    for table in ("flag", "flagevent", "scanresult", "finding", "scan"):
        cursor.execute(f"VACUUM ANALYZE dataquality_{table}")
out = {"rules": len(RULES)}
slowest = []
for label in ("first", "repeat"):
    scan = Scan.objects.create(coc=coc, as_of=as_of, trigger="bench")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        run_scan(scan.pk)
        seconds = time.perf_counter() - started
    scan.refresh_from_db()
    if label == "first":
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:10]
    out[label] = {
        "seconds": seconds, "statements": len(queries.captured_queries), "status": scan.status,
        "findings": sum(scan.counts.values()), "error": scan.error[-800:],
    }
out["flags"] = Flag.objects.count()
out["slowest"] = [{"seconds": float(q["time"]), "sql": q["sql"]} for q in slowest]
plans = []
for q in out["slowest"]:
    if len(plans) >= explain or not q["sql"].lstrip().upper().startswith("SELECT"):
        continue
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
        plans.append("\n".join(row[0] for row in cursor.fetchall()))
out["plans"] = plans

# The tables the rules read, each read once from start to end.
models = [hmis.Client, hmis.Enrollment, hmis.Exit, hmis.IncomeBenefits, hmis.Disabilities,
          hmis.Services, hmis.CurrentLivingSituation, hmis.Project, hmis.ProjectCoC,
          hmis.Inventory, hmis.HMISParticipation, hmis.Funder]

class Counter:
    size = 0
    def write(self, data):
        self.size += len(data)

counter, rows = Counter(), {}
connection.ensure_connection()
started = time.perf_counter()
with connection.connection.cursor() as cursor:
    for model in models:
        table = model._meta.db_table
        cursor.copy_expert(f"COPY (SELECT * FROM {table}) TO STDOUT", counter)
        rows[table] = cursor.rowcount
out["read"] = {"seconds": time.perf_counter() - started, "bytes": counter.size, "rows": rows}
print(json.dumps(out, default=str))
"""


def scan_once(url: str, as_of: str, explain: int = 0) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "hmis_gov.settings.local"}
    done = subprocess.run(
        [sys.executable, "-c", SCAN_CHILD, as_of, str(explain)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(clients: int, args) -> dict:
    db = shared.ensure(clients, args.seed, args.rebuild)
    counts = db["file_counts"]
    print(f"[{clients}] {sum(counts.values()):,} rows in {db['url'].rsplit('/', 1)[1]}", flush=True)
    url = db["url"]
    figures = scan_once(url, db["as_of"], args.explain)
    first, repeat, read = figures["first"], figures["repeat"], figures["read"]
    for label, scan in (("first", first), ("repeat", repeat)):
        if scan["status"] != "succeeded":
            raise SystemExit(f"{label} scan failed: {scan['error']}")
    result = {
        "clients": clients,
        "enrollments": counts.get("Enrollment"),
        "services": counts.get("Services"),
        "import_seconds": db["import_seconds"],
        "rules": figures["rules"],
        "flags": figures["flags"],
        "first_seconds": first["seconds"],
        "first_statements": first["statements"],
        "repeat_seconds": repeat["seconds"],
        "repeat_statements": repeat["statements"],
        "read_seconds": read["seconds"],
        "read_rows": sum(read["rows"].values()),
        "read_bytes": read["bytes"],
    }
    result["first_ratio"] = first["seconds"] / read["seconds"]
    result["repeat_ratio"] = repeat["seconds"] / read["seconds"]
    result["load"] = os.getloadavg()[0]
    print(json.dumps(result, indent=1), flush=True)
    for q in figures["slowest"]:
        print(f"  {q['seconds']:7.2f} s  {q['sql'][:300]}", flush=True)
    for plan in figures["plans"]:
        print(plan, flush=True)
    result["slowest"] = figures["slowest"]
    return result


def table(results: list[dict]) -> str:
    head = (
        "| clients | enrollments | services | flags | scan (first) | statements | scan (repeat) "
        "| statements | sequential read | rows read | first ÷ read | repeat ÷ read |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    lines = [
        f"| {r['clients']:,} | {r['enrollments']:,} | {r['services']:,} | {r['flags']:,} "
        f"| {r['first_seconds']:.1f} s | {r['first_statements']} | {r['repeat_seconds']:.1f} s "
        f"| {r['repeat_statements']} | {r['read_seconds']:.1f} s | {r['read_rows']:,} "
        f"| {r['first_ratio']:.1f}× | {r['repeat_ratio']:.1f}× |"
        for r in results
    ]
    return head + "\n".join(lines)


def write_docs(results: list[dict]) -> None:
    body = f"{START}\nMeasured {time.strftime('%Y-%m-%d')} (`bench/dq_bench.py`):\n\n"
    body += table(results) + f"\n{END}"
    replace_block(DOCS, START, END, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, action="append", help="Default: 20000 and 200000.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse", action="store_true", help="Accepted: the shared database is always reused."
    )
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the shared database.")
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN ANALYZE the N slowest.")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--write-docs", action="store_true", help="Update docs/performance.md.")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = [bench(n, args) for n in (args.clients or [20000, 200000])]
    print()
    print(table(results))
    out = args.workdir / f"dq-bench-{'-'.join(str(r['clients']) for r in results)}.json"
    out.write_text(json.dumps(results, indent=1, default=str))
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
