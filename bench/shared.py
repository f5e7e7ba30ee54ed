"""One generated CoC database per size, shared by every benchmark (import once, bench many times).

    .venv/bin/python bench/shared.py --clients 200000        # build bench_200k unless complete
    .venv/bin/python bench/shared.py --clients 20000 --rebuild

``ensure(clients)`` returns the URL of ``bench_<N>k`` (server and prefix from
``BENCH_SHARED_URL``, default postgres://postgres@127.0.0.1:5432/bench). A database counts as
complete when its ``bench_meta`` row says so for the same size, seed and export (the zip's
manifest digest); it is then migrated (for migrations added since) and reused. Otherwise it is
dropped and rebuilt: ``generate_hmis`` (zip kept in ``var/bench/``), migrate, the CoC setup a
configured CoC has before its first import (XX-500, an agency per HMIS Organization, a setup
project per HMIS Project: ``configure_coc``, so the importer links every record to its agency),
the real importer in a child process, then ``VACUUM ANALYZE``. The import time is kept in
``bench_meta`` so a reused database still reports it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import connect, generate, import_once, recreate_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench"
WORKDIR = ROOT / "var" / "bench"
META = "bench_meta"

SETUP_CHILD = r"""
import csv, io, json, sys, zipfile
import django
django.setup()
sys.path.insert(0, sys.argv[2])
from shared import configure_coc
with zipfile.ZipFile(sys.argv[1]) as archive:
    def rows(name):
        with archive.open(name + ".csv") as raw:
            return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))
    print(json.dumps(configure_coc(rows("Organization"), rows("Project"))))
"""


def url_for(clients: int, base: str | None = None) -> str:
    parts = urlparse(base or os.environ.get("BENCH_SHARED_URL", DEFAULT_URL))
    size = f"{clients // 1000}k" if clients % 1000 == 0 else str(clients)
    name = f"{parts.path.lstrip('/')}_{size}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"Refusing an unusual database name {name!r}.")
    return urlunparse(parts._replace(path=f"/{name}"))


def meta(url: str) -> dict | None:
    """The database's ``bench_meta`` row, or None when the database or the row is missing."""
    import psycopg2

    try:
        connection = connect(url)
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT to_regclass(%s)", [META])
            if cur.fetchone()[0] is None:
                return None
            cur.execute(f"SELECT data FROM {META} WHERE complete")
            row = cur.fetchone()
            return row[0] if row else None
    finally:
        connection.close()


def digest(zip_path: Path) -> str:
    manifest = zip_path.with_name(zip_path.stem + ".manifest.json")
    return hashlib.sha256(manifest.read_bytes()).hexdigest()[:16]


def ensure(clients: int, seed: int = 1, rebuild: bool = False, base: str | None = None) -> dict:
    """Build the shared database of this size unless a complete one exists; return its facts."""
    url = url_for(clients, base)
    zip_path, counts, gen_seconds = generate(clients, seed, WORKDIR, True)
    manifest = json.loads(zip_path.with_name(zip_path.stem + ".manifest.json").read_text())
    wanted = {"clients": clients, "seed": seed, "export": digest(zip_path)}
    found = None if rebuild else meta(url)
    if found and all(found.get(k) == v for k, v in wanted.items()):
        name = urlparse(url).path[1:]
        print(f"[{clients}] reusing {name} (imported {found['built']})", flush=True)
        # Migrations added since the build (indexes, mostly) apply to it as to a real database.
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True,
        )  # fmt: skip
        return {**found, "url": url, "zip": str(zip_path), "as_of": manifest["as_of"]}
    print(f"[{clients}] building {urlparse(url).path[1:]} from {zip_path.name}", flush=True)
    recreate_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "hmis_gov.settings.local"}
    done = subprocess.run(
        [sys.executable, "-c", SETUP_CHILD, str(zip_path), str(ROOT / "bench")],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    setup = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"[{clients}] CoC setup: {setup}", flush=True)
    result = import_once(url, zip_path, f"bench-{clients}", None)
    if result["status"] != "succeeded":
        raise SystemExit(f"import failed: {result['errors']}")
    print(f"[{clients}] imported in {result['seconds']:.0f}s", flush=True)
    connection = connect(url)
    with connection.cursor() as cur:
        # As autovacuum would leave it: planner statistics and the visibility map (index-only
        # scans need it), not the state just after a bulk load.
        cur.execute("VACUUM ANALYZE")
    connection.close()
    data = {
        **wanted,
        "built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "import_seconds": round(result["seconds"], 1),
        "setup": setup,
        "maxrss_kib": result["maxrss_kib"],
        "file_counts": counts,
    }
    connection = connect(url)
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {META} (complete boolean NOT NULL, data jsonb NOT NULL)")
        cur.execute(f"INSERT INTO {META} VALUES (true, %s)", [json.dumps(data)])
    connection.close()
    return {**data, "url": url, "zip": str(zip_path), "as_of": manifest["as_of"]}


def configure_coc(organizations: list[dict], projects: list[dict]) -> dict:
    """The CoC setup a configured CoC has before its first import: XX-500, an agency per HMIS
    Organization (``hud_organization_id``) and a setup project per HMIS Project
    (``hud_project_id``), so the importer links every record to its agency (and the agency
    roles see them). Idempotent; returns what exists."""
    import datetime as dt

    from agencies.models import Agency, ContinuumOfCare, Project

    coc, _ = ContinuumOfCare.objects.get_or_create(code="XX-500", defaults={"name": "Bench CoC"})
    agencies = {}
    for org in organizations:
        agencies[org["OrganizationID"]], _ = Agency.objects.get_or_create(
            coc=coc,
            hud_organization_id=org["OrganizationID"],
            defaults={"name": org["OrganizationName"][:200] or org["OrganizationID"]},
        )
    for p in projects:
        Project.objects.get_or_create(
            agency=agencies[p["OrganizationID"]],
            hud_project_id=p["ProjectID"],
            defaults={
                "name": p["ProjectName"][:200] or p["ProjectID"],
                "project_type": int(p["ProjectType"]) if p["ProjectType"] else 7,
                "operating_start": dt.date.fromisoformat(p["OperatingStartDate"][:10]),
            },
        )
    return {"agencies": len(agencies), "projects": Project.objects.filter(agency__coc=coc).count()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, action="append", help="Default: 20000 and 200000.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="Drop and rebuild even if complete.")
    args = parser.parse_args()
    WORKDIR.mkdir(parents=True, exist_ok=True)
    for clients in args.clients or [20000, 200000]:
        facts = ensure(clients, args.seed, args.rebuild)
        print(json.dumps({k: v for k, v in facts.items() if k != "file_counts"}), flush=True)


if __name__ == "__main__":
    main()
