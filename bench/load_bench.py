"""Load test (issue 8, item 5): 32 concurrent users against gunicorn on the generated CoC.

Run by hand, never in the test suite (needs the ``bench`` extra: ``pip install -e '.[bench]'``)::

    .venv/bin/python bench/load_bench.py                          # 200,000 clients, 32 users, 5 min
    .venv/bin/python bench/load_bench.py --clients 20000 --run-time 60s --write-docs

It (1) gets the shared generated CoC database ``bench_<N>k`` (``bench/shared.py``; a data-quality
scan is run first if the CoC has no flags yet), (2) prepares four users with the catalogue's roles
(CoC HMIS administrator on XX-500; agency HMIS administrator, program staff and executive on
three agencies), each with an API token, a logged-in session and ids of records it may see,
(3) starts gunicorn in the production shape (``hmis_gov.settings.production``, 3 sync workers as
in ``docker-compose.yml``, Redis db 12, the environment of ``tests/production/harness.py``) with
``bench/gunicorn_sql.py``'s hooks counting each request's SQL statements, (4) sends every request
of the mix once per role (untimed; any answer but 2xx stops the run), then (5) runs
``bench/locustfile.py`` headless: API list/detail reads, page views and flag status changes.
Targets: p95 ≤ 150 ms for list/detail reads, no errors, a fixed number of statements per request.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from docs_block import replace_block  # noqa: E402  (bench/ is the script's folder)

sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import shared  # noqa: E402

from tests.production.harness import Stack, make_stack  # noqa: E402

DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- load-bench:start -->", "<!-- load-bench:end -->"
TARGET_P95_MS = 150
ROLES = {
    # role name in the locustfile: (role key, scope: "coc" or the agency's HUD OrganizationID)
    "cocadmin": ("coc_hmis_admin", "coc"),
    "dqm": ("agency_hmis_admin", "ORG001"),
    "staff": ("agency_program_staff", "ORG002"),
    "director": ("agency_executive", "ORG003"),
}

PREPARE_CHILD = r"""
import datetime as dt, json, sys
import django
django.setup()
from django.test import Client as WebClient
from rest_framework.authtoken.models import Token
from agencies.models import Agency, ContinuumOfCare
from dataquality.models import Flag, Scan
from dataquality.scans import run_scan
from hmis.models import Client, Enrollment
from roles.models import Role, RoleAssignment, User

roles, as_of = json.loads(sys.argv[1]), sys.argv[2]
coc = ContinuumOfCare.objects.get(code="XX-500")
if not Flag.objects.filter(coc=coc).exists():
    scan = Scan.objects.create(coc=coc, as_of=dt.date.fromisoformat(as_of), trigger="bench")
    run_scan(scan.pk)
out = {}
for name, (key, scope) in roles.items():
    where = {"coc": coc} if scope == "coc" else {
        "agency": Agency.objects.get(coc=coc, hud_organization_id=scope)}
    works_for = where if scope == "coc" else where
    user, _ = User.objects.get_or_create(
        username=f"load_{name}", defaults={"email": f"load_{name}@example.org", **works_for})
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.objects.get(key=key), **where,
        defaults={"starts_on": dt.date(2020, 1, 1)})
    token, _ = Token.objects.get_or_create(user=user)
    web = WebClient()
    web.force_login(user)
    ids = lambda qs: list(qs.order_by("?").values_list("pk", flat=True)[:300])
    flags = Flag.objects.restrict(user).filter(status__in=("open", "in_review"))
    if scope == "coc":  # not the agencies' own flags that the agency roles change
        flags = flags.exclude(agency__hud_organization_id__in=[s for _, s in roles.values()])
    out[name] = {
        "username": user.username,
        "token": token.key,
        "session": web.cookies["sessionid"].value,
        "clients": ids(Client.objects.restrict(user)),
        "enrollments": ids(Enrollment.objects.restrict(user)),
        "flags": ids(flags),
        "act": Flag.objects.restrict(user, "change").filter(pk__in=ids(flags)[:1]).exists(),
        "visible": {"clients": Client.objects.restrict(user).count(),
                    "enrollments": Enrollment.objects.restrict(user).count(),
                    "flags": Flag.objects.restrict(user).count()},
    }
print(json.dumps({"users": out}))
"""


def prepare(stack: Stack, db: dict, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PREPARE_CHILD, json.dumps(ROLES), db["as_of"]],
        cwd=ROOT, env=stack.env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    data = json.loads(done.stdout.strip().splitlines()[-1])
    for name, me in data["users"].items():
        if not (me["clients"] and me["enrollments"]):
            raise SystemExit(f"{name} sees no records: {me['visible']}")
    path.write_text(json.dumps(data))
    return data


def probe(stack: Stack, data: dict) -> list[str]:
    """Every request of the mix once per role, untimed; returns what did not answer 2xx."""
    problems = []
    for name, me in data["users"].items():
        c, e = me["clients"][0], me["enrollments"][0]
        paths = [
            ("GET", "/api/v1/clients/"),
            ("GET", f"/api/v1/clients/{c}/"),
            ("GET", "/api/v1/enrollments/"),
            ("GET", f"/api/v1/enrollments/{e}/"),
            ("GET", "/api/v1/dq/flags/?status=open"),
            ("PAGE", "/"),
            ("PAGE", "/records/clients/"),
            ("PAGE", f"/records/clients/{c}/"),
            ("PAGE", "/records/enrollments/"),
            ("PAGE", "/data-quality/"),
        ]
        if me["flags"]:
            f = me["flags"][0]
            paths += [("GET", f"/api/v1/dq/flags/{f}/"), ("PAGE", f"/data-quality/flags/{f}/")]
            if me["act"]:
                paths += [("PATCH", f"/api/v1/dq/flags/{f}/"), ("PATCH", f"/api/v1/dq/flags/{f}/")]
        patch_status = iter(["in_review", "open"])
        for method, path in paths:
            headers = {"X-Bench-Name": "probe"}
            body = None
            if method == "PAGE":
                headers["Cookie"] = f"sessionid={me['session']}"
                method = "GET"
            else:
                headers["Authorization"] = f"Token {me['token']}"
                headers["Accept"] = "application/json"
            if method == "PATCH":
                body = json.dumps({"status": next(patch_status)}).encode()
                headers["Content-Type"] = "application/json"
            request = urllib.request.Request(
                stack.base_url + path, data=body, method=method, headers=headers
            )
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    status = response.status
                    response.read()
            except urllib.error.HTTPError as error:
                status = error.code
            ms = (time.perf_counter() - started) * 1000
            print(f"  probe {name:9} {method:5} {path:40} {status} {ms:8.0f} ms", flush=True)
            if not 200 <= status < 300:
                problems.append(f"{name} {method} {path}: {status}")
    return problems


def sql_counts(log_dir: Path) -> dict[str, dict]:
    """Statements per request name, from the gunicorn hooks' logs."""
    counts: dict[str, list[int]] = defaultdict(list)
    for path in log_dir.glob("sql-*.tsv"):
        for line in path.read_text().splitlines():
            name, status, n, _ms = line.split("\t")
            if name not in ("-", "probe"):
                counts[name].append(int(n))
    return {
        name: {"min": min(v), "median": statistics.median(v), "max": max(v), "requests": len(v)}
        for name, v in counts.items()
    }


def run_locust(stack: Stack, data_path: Path, out: Path, args) -> None:
    env = {**stack.env, "BENCH_LOAD_DATA": str(data_path)}
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--host", stack.base_url,
        "--users", str(args.users), "--spawn-rate", str(args.users),
        "--run-time", args.run_time, "--stop-timeout", "30",
        "--csv", str(out / "locust"), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    print(" ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=False)


def read_stats(out: Path) -> list[dict]:
    rows = []
    with open(out / "locust_stats.csv") as f:
        for row in csv.DictReader(f):
            rows.append(
                {
                    "name": row["Name"],
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50": float(row["50%"]),
                    "p95": float(row["95%"]),
                    "p99": float(row["99%"]),
                    "rps": float(row["Requests/s"]),
                }
            )
    return rows


def read_failures(out: Path) -> list[dict]:
    path = out / "locust_failures.csv"
    if not path.exists():
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def bench(clients: int, args) -> dict:
    db = shared.ensure(clients, args.seed)
    out = args.workdir / f"load-{clients}"
    if out.exists():
        for path in out.glob("*"):
            if path.is_file():
                path.unlink()
    out.mkdir(parents=True, exist_ok=True)
    stack = make_stack(db["url"].rsplit("/", 1)[1], out)
    stack.env["REDIS_URL"] = args.redis
    stack.env["BENCH_SQL_LOG_DIR"] = str(out)
    stack.env["DATABASE_URL"] = db["url"]
    data = prepare(stack, db, out / "users.json")
    for name, me in data["users"].items():
        print(f"[{clients}] {name}: sees {me['visible']}, acts on flags: {me['act']}", flush=True)
    stack.manage("collectstatic", "--noinput")
    stack.start(
        "web",
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "hmis_gov.wsgi:application",
            "--bind", stack.base_url.removeprefix("http://"),
            "--workers", str(args.workers), "--timeout", "120",
            *(["--worker-class", "gthread", "--threads", str(args.threads)]
              if args.threads > 1 else []),
            "-c", str(ROOT / "bench" / "gunicorn_sql.py"),
        ],
    )  # fmt: skip
    try:
        stack.wait_healthy(timeout=120)
        problems = probe(stack, data)
        if problems:
            raise SystemExit("requests that failed before the load:\n" + "\n".join(problems))
        for path in out.glob("sql-*.tsv"):
            path.unlink()
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        run_locust(stack, out / "users.json", out, args)
        seconds = time.perf_counter() - started
        load_after = os.getloadavg()
    finally:
        stack.stop()
    stats = read_stats(out)
    sql = sql_counts(out)
    for row in stats:
        row["sql"] = sql.get(row["name"])
    result = {
        "clients": clients,
        "users": args.users,
        "workers": args.workers,
        "run_time": args.run_time,
        "seconds": round(seconds),
        "load_before": load_before,
        "load_after": load_after,
        "stats": stats,
        "failures": read_failures(out),
        "visible": {name: me["visible"] for name, me in data["users"].items()},
    }
    (out / "result.json").write_text(json.dumps(result, indent=1))
    print(table(result), flush=True)
    for failure in result["failures"][:10]:
        print(f"  failure: {failure}", flush=True)
    return result


def verdict(row: dict) -> str:
    if row["name"] == "Aggregated":
        return ""
    if row["failures"]:
        return "errors"
    reads = row["name"].startswith("api ") and row["method"] == "GET"
    if reads and row["p95"] > TARGET_P95_MS:
        return "over"
    return "ok" if reads else ""


def table(result: dict) -> str:
    lines = [
        f"{result['clients']:,} clients, {result['users']} users, {result['run_time']}, "
        f"{result['workers']} gunicorn workers; load average {result['load_before']:.1f} before, "
        f"{result['load_after'][0]:.1f} / {result['load_after'][1]:.1f} (1 / 5 min) after:",
        "",
        "| request | requests | errors | p50 | p95 | p99 | req/s | SQL statements | p95 target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["stats"]:
        sql = row.get("sql")
        if sql is None:
            statements = "—"
        elif sql["min"] == sql["max"]:
            statements = str(sql["min"])
        else:
            statements = f"{sql['min']}–{sql['max']} (median {sql['median']:g})"
        name = row["name"] if row["name"] != "Aggregated" else "**all**"
        lines.append(
            f"| {name} | {row['requests']:,} | {row['failures']} | {row['p50']:.0f} ms "
            f"| {row['p95']:.0f} ms | {row['p99']:.0f} ms | {row['rps']:.1f} | {statements} "
            f"| {verdict(row)} |"
        )
    return "\n".join(lines)


def write_docs(results: list[dict]) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = f"{START}\nMeasured {stamp} (`bench/load_bench.py`):\n\n"
    body += "\n\n".join(table(r) for r in results) + f"\n{END}"
    replace_block(DOCS, START, END, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, action="append", help="Default: 200000.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--threads", type=int, default=1, help="gthread workers with this many threads (1: sync)."
    )
    parser.add_argument("--run-time", default="5m")
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    )
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--write-docs", action="store_true", help="Update docs/performance.md.")
    args = parser.parse_args()
    results = [bench(n, args) for n in (args.clients or [200000])]
    (args.workdir / "load-bench.json").write_text(json.dumps(results, indent=1))
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
