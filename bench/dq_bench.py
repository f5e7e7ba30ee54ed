"""Data-quality scan benchmark (issue 5, item 8): a full scan of a generated CoC on PostgreSQL.

Run by hand, never in the test suite::

    .venv/bin/python bench/dq_bench.py                        # 20,000 then 200,000 clients
    .venv/bin/python bench/dq_bench.py --clients 20000        # one size
    .venv/bin/python bench/dq_bench.py --clients 200000 --keep   # scan again, no re-import

For each size it (1) generates a synthetic FY2026 export with ``generate_hmis`` (reusing
``bench/import_bench.py``'s helpers; zips are kept in ``var/bench-dq/``), (2) recreates the
database ``bench_dq_<clients>`` (``BENCH_DATABASE_URL`` names the server and the prefix, default
postgres://postgres@127.0.0.1:5432/bench_dq), migrates it and imports the zip through the real
importer in a child process, then ``ANALYZE``, and (3) in another child process: a full scan of
the CoC (``dataquality.scans.run_scan``, the Celery task's runner) counting its SQL statements,
a second scan (the nightly steady state: flags exist, few change), and one sequential read of
every table the rules read (``COPY (SELECT * FROM t) TO STDOUT`` into a byte counter), the floor
a set-based scan is measured against. Targets: scan ≤ 60 s, ≤ 10× the sequential read, and the
same statement count at every size.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import analyze, generate, import_once, recreate_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_dq"
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
out = {"rules": len(RULES)}
for label in ("first", "repeat"):
    scan = Scan.objects.create(coc=coc, as_of=as_of, trigger="bench")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        run_scan(scan.pk)
        seconds = time.perf_counter() - started
    scan.refresh_from_db()
    out[label] = {
        "seconds": seconds, "statements": len(queries.captured_queries), "status": scan.status,
        "findings": sum(scan.counts.values()), "error": scan.error[-800:],
    }
out["flags"] = Flag.objects.count()

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


def database_url(base: str, clients: int) -> str:
    parts = urlparse(base)
    name = f"{parts.path.lstrip('/')}_{clients}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"Refusing an unusual database name {name!r}.")
    return urlunparse(parts._replace(path=f"/{name}"))


def reuse_import_bench_zip(clients: int, seed: int, workdir: Path) -> None:
    """Copy the import benchmark's zip of the same size and seed, if it exists (saves minutes)."""
    theirs = ROOT / "var" / "bench" / f"hmis-{clients}-s{seed}.zip"
    mine = workdir / theirs.name
    manifest = theirs.with_name(theirs.stem + ".manifest.json")
    if theirs.exists() and manifest.exists() and not mine.exists():
        shutil.copyfile(theirs, mine)
        shutil.copyfile(manifest, workdir / manifest.name)


def scan_once(url: str, as_of: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "hmis_gov.settings.local"}
    done = subprocess.run(
        [sys.executable, "-c", SCAN_CHILD, as_of],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(clients: int, args) -> dict:
    url = database_url(args.url, clients)
    if args.reuse:
        reuse_import_bench_zip(clients, args.seed, args.workdir)
    zip_path, file_counts, gen_seconds = generate(clients, args.seed, args.workdir, True)
    manifest = json.loads(zip_path.with_name(zip_path.stem + ".manifest.json").read_text())
    print(f"[{clients}] export {zip_path.name}: {sum(file_counts.values()):,} rows", flush=True)
    import_seconds = None
    if not args.keep:
        recreate_database(url)
        started = time.perf_counter()
        result = import_once(url, zip_path, f"bench-{clients}", None)
        import_seconds = time.perf_counter() - started
        print(f"[{clients}] import {result['status']} in {import_seconds:.0f}s", flush=True)
        if result["status"] != "succeeded":
            raise SystemExit(f"import failed: {result['errors']}")
        analyze(url)
    figures = scan_once(url, manifest["as_of"])
    first, repeat, read = figures["first"], figures["repeat"], figures["read"]
    for label, scan in (("first", first), ("repeat", repeat)):
        if scan["status"] != "succeeded":
            raise SystemExit(f"{label} scan failed: {scan['error']}")
    result = {
        "clients": clients,
        "enrollments": file_counts.get("Enrollment"),
        "services": file_counts.get("Services"),
        "import_seconds": import_seconds,
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
    print(json.dumps(result, indent=1), flush=True)
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
    text = DOCS.read_text()
    body = f"{START}\nMeasured {time.strftime('%Y-%m-%d')} (`bench/dq_bench.py`):\n\n"
    body += table(results) + f"\n{END}"
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: body, text, flags=re.S)
    else:
        text += "\n" + body + "\n"
    DOCS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, action="append", help="Default: 20000 and 200000.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench-dq")
    parser.add_argument(
        "--reuse", action="store_true", help="Copy var/bench's zip of the same size if present."
    )
    parser.add_argument("--keep", action="store_true", help="Scan the existing database again.")
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
