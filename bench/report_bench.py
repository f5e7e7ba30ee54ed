"""Report builds on a generated CoC: APR for all projects over a year, PIT and HIC, on PostgreSQL.

Run by hand (never in the test suite):

    .venv/bin/python bench/report_bench.py                  # 200,000 clients
    .venv/bin/python bench/report_bench.py --clients 20000 --clients 200000 --write-docs

It (1) gets the shared generated CoC database ``bench_<N>k`` (``bench/shared.py``: generated with
``manage.py generate_hmis``, imported once with the real importer into a configured CoC, reused
while complete; ``--url`` builds on a database as it is instead), then (2) in a child process
per size builds the APR (every project of the CoC, the export's last full year), the PIT and the
HIC for the last Wednesday of January, printing each build's seconds and SQL statement count.
Targets (issue 6): APR ≤ 60 s, PIT ≤ 10 s, HIC ≤ 5 s; statement counts independent of clients.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from docs_block import replace_block  # noqa: E402  (bench/ is the script's folder)

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import shared  # noqa: E402

DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- report-bench:start -->", "<!-- report-bench:end -->"
TARGETS = {"apr": 60.0, "pit": 10.0, "hic": 5.0}
NAMES = {"apr": "APR (every table built)", "pit": "PIT", "hic": "HIC"}


def build_all(args) -> list[dict]:
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hmis_gov.settings.local")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from agencies.models import Project
    from hmis.models import Enrollment
    from reports.builder import build_version
    from reports.models import Report, last_wednesday_of_january

    latest = Enrollment.objects.aggregate(d=Max("entry_date"))["d"]
    coc_id = Enrollment.objects.values_list("coc_id", flat=True).first()
    if latest is None or coc_id is None:
        raise SystemExit("No enrollments in the database.")
    end = datetime.date(latest.year - 1, 12, 31) if latest.month < 12 else latest
    start = end.replace(year=end.year - 1) + datetime.timedelta(days=1)
    night = last_wednesday_of_january(end.year)
    link_setup(coc_id)
    projects = Project.objects.filter(agency__coc_id=coc_id)
    # Earlier runs' reports (and bench/apr_tables.py's kept ones) go, and the rows table is
    # vacuumed, as autovacuum would leave it between builds (this machine's PostgreSQL runs with
    # autovacuum off: without it every build's scans also read the dead rows of earlier runs).
    Report.objects.filter(coc_id=coc_id).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reports_reportfact")
    results = []
    for kind, dates in (
        ("apr", {"start": start, "end": end}),
        ("pit", {"night": night}),
        ("hic", {"night": night}),
    ):
        report = Report.objects.create(coc_id=coc_id, kind=kind, status="draft", **dates)
        report.projects.set(projects)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            version = build_version(report)
            seconds = time.perf_counter() - started
        rows = version.facts.count()
        results.append({"kind": kind, "seconds": seconds, "statements": len(queries), "rows": rows})
        verdict = "OK" if seconds <= TARGETS[kind] else "OVER TARGET"
        print(
            f"{kind.upper():4} {seconds:8.2f} s  {len(queries):4d} statements  "
            f"{rows:,} snapshot rows  (target ≤ {TARGETS[kind]:.0f} s: {verdict})",
            file=sys.stderr,
            flush=True,
        )
    return results


def link_setup(coc_id: int) -> None:
    """The bench database has HMIS records but no CoC setup: make an agency per Organization and
    a setup project per HMIS Project (a few hundred rows), then link the records to them the way
    the importer does for a configured CoC (two UPDATEs)."""
    from django.db.models import OuterRef, Subquery

    from agencies.models import Agency, Project
    from hmis.models import Enrollment, Organization
    from hmis.models import Project as HMISProject

    for org in Organization.objects.filter(coc_id=coc_id):
        agency, _ = Agency.objects.get_or_create(
            coc_id=coc_id,
            hud_organization_id=org.organization_id,
            defaults={"name": org.organization_name[:200] or org.organization_id},
        )
        for p in HMISProject.objects.filter(organization=org):
            setup, _ = Project.objects.get_or_create(
                agency=agency,
                hud_project_id=p.project_id,
                defaults={
                    "name": p.project_name[:200] or p.project_id,
                    "project_type": p.project_type if p.project_type is not None else 7,
                    "operating_start": p.operating_start_date,
                },
            )
            HMISProject.objects.filter(pk=p.pk).update(agency=agency, agency_project=setup)
    Enrollment.objects.filter(coc_id=coc_id, agency__isnull=True).update(
        agency=Subquery(HMISProject.objects.filter(pk=OuterRef("project_id")).values("agency")[:1])
    )


def child(url: str) -> list[dict]:
    """Build the three reports on ``url`` in a fresh process (Django is set up once per process)."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--url", url],
        cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(results: list[dict]) -> str:
    lines = [
        "| clients | report | seconds | SQL statements | snapshot rows | target |",
        "| ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for size in results:
        for r in size["reports"]:
            ok = r["seconds"] <= TARGETS[r["kind"]]
            seconds = f"{r['seconds']:.2f}" if ok else f"**{r['seconds']:.2f}**"
            lines.append(
                f"| {size['clients']:,} | {NAMES[r['kind']]} | {seconds} | {r['statements']} "
                f"| {r['rows']:,} | ≤ {TARGETS[r['kind']]:.0f} s: {'met' if ok else 'over'} |"
            )
    return "\n".join(lines)


def write_docs(results: list[dict]) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = ", ".join(f"{r['clients']:,} clients {r['load']:.1f}" for r in results)
    body = (
        f"{START}\nMeasured {stamp} (`bench/report_bench.py`; load average at start: {load}):"
        f"\n\n{table(results)}\n{END}"
    )
    replace_block(DOCS, START, END, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, action="append", help="Default: 200000.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", help="Build on this database as it is (no shared database).")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--write-docs", action="store_true", help="Update docs/performance.md.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(build_all(args)))
        return
    results = []
    for clients in args.clients or [200_000]:
        url = args.url or shared.ensure(clients, args.seed)["url"]
        load = os.getloadavg()[0]
        results.append({"clients": clients, "load": load, "reports": child(url)})
    print(table(results))
    args.workdir.mkdir(parents=True, exist_ok=True)
    (args.workdir / "report-bench.json").write_text(json.dumps(results, indent=1))
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
