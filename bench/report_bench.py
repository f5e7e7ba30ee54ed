"""Report builds on a generated CoC: APR for all projects over a year, PIT and HIC, on PostgreSQL.

Run by hand (never in the test suite):

    .venv/bin/python bench/report_bench.py                  # 200,000 clients
    .venv/bin/python bench/report_bench.py --clients 20000 --reuse
    .venv/bin/python bench/report_bench.py --skip-import    # database already loaded

It (1) generates the HMIS CSV export with ``manage.py generate_hmis`` (reused with ``--reuse``),
(2) recreates its own database ``bench_reports`` (``BENCH_REPORTS_DATABASE_URL``) and imports
the export with the real importer (``bench/import_bench.py``'s helpers), then (3) builds the APR
(every project of the CoC, the export's last full year), the PIT and the HIC for the last
Wednesday of January, printing each build's seconds and SQL statement count.
Targets (issue 6): APR ≤ 60 s, PIT ≤ 10 s, HIC ≤ 5 s; statement counts independent of clients.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_reports"
TARGETS = {"apr": 60.0, "pit": 10.0, "hic": 5.0}


def load(args) -> None:
    import import_bench

    zip_path, counts, seconds = import_bench.generate(
        args.clients, args.seed, args.workdir, args.reuse
    )
    print(f"generated {sum(counts.values()):,} rows in {seconds:.1f}s → {zip_path}", flush=True)
    import_bench.recreate_database(args.url)
    result = import_bench.import_once(args.url, zip_path, "bench", None)
    print(f"imported in {result['seconds']:.1f}s ({result['status']})", flush=True)
    import_bench.analyze(args.url)


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
        raise SystemExit("No enrollments in the database: run without --skip-import.")
    end = datetime.date(latest.year - 1, 12, 31) if latest.month < 12 else latest
    start = end.replace(year=end.year - 1) + datetime.timedelta(days=1)
    night = last_wednesday_of_january(end.year)
    link_setup(coc_id)
    projects = Project.objects.filter(agency__coc_id=coc_id)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", default=os.environ.get("BENCH_REPORTS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--reuse", action="store_true", help="Reuse an already generated zip.")
    parser.add_argument("--skip-import", action="store_true", help="Use the loaded database.")
    args = parser.parse_args()
    if not args.skip_import:
        load(args)
    build_all(args)


if __name__ == "__main__":
    main()
