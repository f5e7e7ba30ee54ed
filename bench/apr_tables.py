"""Time each APR table's ``count_table`` on a shared bench database (where the APR's time goes).

    .venv/bin/python bench/apr_tables.py --clients 20000 [--only Q6c --only Q16] [--json OUT]

Builds the APR universe once (every project of the CoC, the export's last full year, as
``bench/report_bench.py`` does), printing the snapshot/derive time, then each table's build
(Python) and ``count_table`` (its SQL) seconds, slowest last. Run by hand, never in the tests.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import shared  # noqa: E402


def universe_steps(version):
    """``apr.build_universe``'s steps, one by one (so each can be timed)."""
    from django.db.models.functions import Greatest

    from reports import apr
    from reports.apr import derived, income_records
    from reports.apr.flags import at_snapshot
    from reports.engine import day, snapshot

    report = version.report
    yield (
        "snapshot",
        lambda: snapshot(
            version,
            "apr",
            apr.active_in_range(report),
            Greatest("entry_date", day(report.start)),
            computed=at_snapshot(report),
            annotations=income_records.at_snapshot(report),
            whole=True,
        ),
    )
    for step in derived._steps():
        yield step.__name__, lambda step=step: step(version)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20000)
    parser.add_argument("--url", help="Use this database instead of the shared one.")
    parser.add_argument("--only", action="append", help="Only these tables (repeatable).")
    parser.add_argument("--json", type=Path, help="Write the timings here.")
    parser.add_argument("--profile", action="store_true", help="cProfile each table's build.")
    parser.add_argument(
        "--keep", action="store_true", help="Keep the report (prints its version id) to reuse."
    )
    parser.add_argument(
        "--version",
        type=int,
        help="Reuse this kept version: no universe build, only the tables (and --step).",
    )
    parser.add_argument(
        "--step",
        action="append",
        default=[],
        help="With --version: re-run these universe steps first (e.g. fill_los_days).",
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.url or shared.url_for(args.clients)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hmis_gov.settings.local")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext
    from report_bench import link_setup

    from agencies.models import Project
    from hmis.models import Enrollment
    from reports import apr
    from reports.engine import build_settings, count_table
    from reports.models import Report, ReportVersion

    build_settings(local=False)  # as reports.builder.build_version does for its transaction
    if args.version:
        version = ReportVersion.objects.get(pk=args.version)
        report = version.report
    else:
        latest = Enrollment.objects.aggregate(d=Max("entry_date"))["d"]
        coc_id = Enrollment.objects.values_list("coc_id", flat=True).first()
        end = datetime.date(latest.year - 1, 12, 31) if latest.month < 12 else latest
        start = end.replace(year=end.year - 1) + datetime.timedelta(days=1)
        link_setup(coc_id)
        report = Report.objects.create(
            coc_id=coc_id, kind="apr", status="draft", start=start, end=end
        )
        report.projects.set(Project.objects.filter(agency__coc_id=coc_id))
        version = ReportVersion.objects.create(report=report, number=1)
    results = {}
    try:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            stage = time.perf_counter()
            for name, step in universe_steps(version):
                if args.version and name not in args.step:
                    continue
                step()
                now = time.perf_counter()
                results[f"universe:{name}"] = {"seconds": now - stage}
                print(f"  {name:24} {now - stage:8.2f} s", file=sys.stderr, flush=True)
                stage = now
        results["universe"] = {"seconds": time.perf_counter() - started, "sql": len(queries)}
        # (the per-step lines above; the total below)
        print(f"universe {results['universe']['seconds']:8.2f} s", file=sys.stderr, flush=True)
        for key, build in apr.builders().items():
            if args.only and key not in args.only:
                continue
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                if args.profile:
                    import cProfile
                    import pstats

                    profiler = cProfile.Profile()
                    table = profiler.runcall(build, version)
                    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(
                        15
                    )
                else:
                    table = build(version)
                built = time.perf_counter()
                counts = count_table(version, table)
            done = time.perf_counter()
            results[key] = {
                "build": built - started,
                "seconds": done - started,
                "sql": len(queries),
                "cells": len(table.cells) + len(table.rates),
                "counts": counts,
            }
            print(
                f"{key:6} {done - started:8.2f} s  (build {built - started:5.2f} s, "
                f"{len(queries)} statements, {results[key]['cells']} cells)",
                file=sys.stderr,
                flush=True,
            )
    finally:
        if args.keep or args.version:
            print(f"kept: --version {version.pk}", file=sys.stderr)
        else:
            report.delete()
    total = sum(r["seconds"] for r in results.values())
    print(f"total  {total:8.2f} s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
