"""Import benchmark (issue 4): the real HMIS CSV importer against a raw PostgreSQL COPY.

Run by hand, never in the test suite::

    .venv/bin/python bench/import_bench.py                      # 20,000 then 200,000 clients
    .venv/bin/python bench/import_bench.py --clients 20000      # one size
    .venv/bin/python bench/import_bench.py --write-docs         # also update docs/performance.md

For each size it (1) generates a synthetic FY2026 export with ``generate_hmis`` (2 enrollments and
10 services per client: 200,000 clients → about 400,000 enrollments and 2,000,000 services),
(2) recreates the database ``bench_import`` (``BENCH_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/bench_import) and migrates it (once, or per size with
``--fresh``; each size is imported as its own source ``bench-<clients>``), (3) times a raw
``COPY`` of every CSV file of the zip into plain text-column tables (the baseline the target is
measured against; the zip is read the same way, so decompression is in both), then drops them,
and (4) imports the
zip through ``hmis.importer.import_export`` in a child process, timing it and reading the child's
peak resident memory (``ru_maxrss``). Targets: import ≤ 3× COPY time, peak ≤ 1 GiB.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]

from docs_block import replace_block  # noqa: E402  (bench/ is the script's folder)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_import"
DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- import-bench:start -->", "<!-- import-bench:end -->"
TARGET_RATIO, TARGET_MEMORY = 3.0, 1024**3

CHILD = r"""
import json, os, resource, sys, time
import django
django.setup()
from agencies.models import ContinuumOfCare
from hmis.importer import import_export

coc, _ = ContinuumOfCare.objects.get_or_create(code="XX-500", defaults={"name": "Bench CoC"})
profile = os.environ.get("BENCH_PROFILE")
started = time.perf_counter()
if profile:
    import cProfile
    profiler = cProfile.Profile()
    run = profiler.runcall(import_export, sys.argv[1], coc, sys.argv[2])
    profiler.dump_stats(profile)
else:
    run = import_export(sys.argv[1], coc, sys.argv[2])
seconds = time.perf_counter() - started
print(json.dumps({
    "seconds": seconds,
    "status": run.status,
    "counts": run.counts,
    "errors": run.errors[:5],
    "warnings": len(run.warnings or []),
    "progress": getattr(run, "progress", None),
    "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}, default=str))
"""


def connect(url: str):
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    return connection


def recreate_database(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"Refusing an unusual database name {name!r}.")
    admin = connect(urlunparse(parts._replace(path="/postgres")))
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def generate(clients: int, seed: int, workdir: Path, reuse: bool) -> tuple[Path, dict, float]:
    out = workdir / f"hmis-{clients}-s{seed}.zip"
    manifest = out.with_name(out.stem + ".manifest.json")
    started = time.perf_counter()
    if not (reuse and out.exists() and manifest.exists()):
        subprocess.run(
            [sys.executable, "manage.py", "generate_hmis", "--clients", str(clients),
             "--seed", str(seed), "--out", str(out)],
            cwd=ROOT, check=True,
        )  # fmt: skip
    seconds = time.perf_counter() - started
    return out, json.loads(manifest.read_text())["file_counts"], seconds


def copy_file(cur, archive: zipfile.ZipFile, member: str, table: str) -> int:
    """COPY one file of the zip into a new plain table of text columns; returns its rows."""
    with archive.open(member) as raw:
        header = next(csv.reader(io.TextIOWrapper(raw, encoding="utf-8")))
    cols = ", ".join(f'"{c.lower()}" text' for c in header)
    cur.execute(f'DROP TABLE IF EXISTS "{table}"; CREATE TABLE "{table}" ({cols})')
    with archive.open(member) as raw:
        cur.copy_expert(f'COPY "{table}" FROM STDIN WITH (FORMAT csv, HEADER true)', raw)
    return cur.rowcount


def copy_baseline(url: str, zip_path: Path) -> tuple[float, int]:
    """COPY every file of the zip into plain tables of text columns; returns (seconds, rows)."""
    connection = connect(url)
    rows = 0
    started = time.perf_counter()
    with zipfile.ZipFile(zip_path) as archive, connection.cursor() as cur:
        for member in archive.namelist():
            rows += copy_file(cur, archive, member, "copy_" + Path(member).stem.lower())
    seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        for member in zipfile.ZipFile(zip_path).namelist():
            cur.execute(f'DROP TABLE IF EXISTS "copy_{Path(member).stem.lower()}"')
    connection.close()
    return seconds, rows


def analyze(url: str) -> None:
    connection = connect(url)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    connection.close()


def import_once(url: str, zip_path: Path, source: str, profile: Path | None) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "hmis_gov.settings.local"}
    if profile:
        env["BENCH_PROFILE"] = str(profile)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(zip_path), source],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_floor(url: str, zip_path: Path, workdir: Path) -> float:
    """Seconds of ``bench/import_floor.py`` (typed COPY + index builds) for the same zip."""
    out = workdir / f"import-floor-{zip_path.stem}.json"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "import_floor.py"), str(zip_path),
         "--url", url, "--json", str(out)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    totals = json.loads(out.read_text())
    return totals["typed_s"] + totals["index_s"]


def bench(clients: int, args) -> dict:
    zip_path, file_counts, gen_seconds = generate(clients, args.seed, args.workdir, args.reuse)
    rows = sum(file_counts.values())
    print(f"[{clients}] generated {rows:,} rows in {gen_seconds:.1f}s → {zip_path}", flush=True)
    if args.fresh or not args.created:
        recreate_database(args.url)
        args.created = True
    copy_seconds, copied = copy_baseline(args.url, zip_path)
    print(f"[{clients}] COPY {copied:,} rows in {copy_seconds:.1f}s", flush=True)
    profile = args.workdir / f"import-{clients}.prof" if args.profile else None
    result = import_once(args.url, zip_path, f"bench-{clients}", profile)
    floor = measure_floor(args.url, zip_path, args.workdir) if args.floor else None
    # The next size imports into a database whose planner statistics know this one, as in a CoC
    # that has imported before (a fresh database has none: see docs/performance.md).
    analyze(args.url)
    seconds = result["seconds"]
    peak = result["maxrss_kib"] * 1024
    figures = {
        "clients": clients,
        "enrollments": file_counts["Enrollment"],
        "services": file_counts["Services"],
        "rows": rows,
        "zip_mib": round(zip_path.stat().st_size / 2**20, 1),
        "generate_s": round(gen_seconds, 1),
        "copy_s": round(copy_seconds, 1),
        "import_s": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "ratio": round(seconds / copy_seconds, 2),
        "peak_mib": round(peak / 2**20),
        # The least any importer of this schema costs (bench/import_floor.py), same run.
        "floor_s": round(floor, 1) if floor else None,
        "floor_ratio": round(floor / copy_seconds, 2) if floor else None,
        "status": result["status"],
        "errors": result["errors"],
        "warnings": result["warnings"],
        "progress": result.get("progress"),
    }
    if floor:
        print(
            f"[{clients}] floor (typed COPY into the target tables + their index builds): "
            f"{floor:.1f}s = {figures['floor_ratio']}× COPY",
            flush=True,
        )
    verdict = "meets" if figures["ratio"] <= TARGET_RATIO and peak <= TARGET_MEMORY else "MISSES"
    print(
        f"[{clients}] import {result['status']} in {seconds:.1f}s: "
        f"{figures['rows_per_s']:,} rows/s, "
        f"{figures['ratio']}× COPY, peak {figures['peak_mib']} MiB — {verdict} the target "
        f"(≤ {TARGET_RATIO}× COPY, ≤ 1 GiB)",
        flush=True,
    )
    if result["errors"]:
        print(f"[{clients}] first errors: {result['errors']}")
    return figures


def table(results: list[dict]) -> str:
    lines = [
        "| clients | enrollments | services | rows | zip | generate | COPY | import | rows/s "
        "| import ÷ COPY | floor ÷ COPY | peak memory | status |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for f in results:
        floor = f"{f['floor_ratio']}×" if f.get("floor_ratio") else "—"
        lines.append(
            f"| {f['clients']:,} | {f['enrollments']:,} | {f['services']:,} | {f['rows']:,} "
            f"| {f['zip_mib']} MiB | {f['generate_s']} s | {f['copy_s']} s | {f['import_s']} s "
            f"| {f['rows_per_s']:,} | {f['ratio']}× | {floor} | {f['peak_mib']} MiB "
            f"| {f['status']} |"
        )
    return "\n".join(lines)


def write_docs(results: list[dict]) -> None:
    stamp = time.strftime("%Y-%m-%d")
    block = f"{START}\nMeasured {stamp} (`bench/import_bench.py`):\n\n{table(results)}\n{END}"
    replace_block(DOCS, START, END, block)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, action="append", help="Default: 20000 and 200000.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--reuse", action="store_true", help="Reuse an already generated zip.")
    parser.add_argument("--profile", action="store_true", help="cProfile the import (slower).")
    parser.add_argument(
        "--no-floor",
        dest="floor",
        action="store_false",
        help="Skip bench/import_floor.py (typed COPY + index builds: the least any importer of "
        "this schema costs, measured in the same run).",
    )
    parser.add_argument("--write-docs", action="store_true", help="Update docs/performance.md.")
    parser.add_argument(
        "--also",
        type=Path,
        action="append",
        default=[],
        help="Results of an earlier run (its import-bench.json) to show in the same table.",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="Recreate the database before every size (default: once, then each size is "
        "imported as its own source into a database that already holds the previous ones).",
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.created = False
    results = [bench(n, args) for n in (args.clients or [20000, 200000])]
    (args.workdir / "import-bench.json").write_text(json.dumps(results, indent=1, default=str))
    for earlier in args.also:
        results += json.loads(earlier.read_text())
    results.sort(key=lambda f: f["clients"])
    print()
    print(table(results))
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
