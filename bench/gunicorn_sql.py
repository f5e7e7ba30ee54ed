"""gunicorn config for ``bench/load_bench.py``: count the SQL statements of every request.

Server hooks, not a Django middleware, so the application under test is exactly the production
one: ``pre_request`` adds a counting wrapper to the worker's database connection
(``connection.execute_wrappers``: every statement Django sends goes through it) and
``post_request`` removes it and appends one line per request to
``$BENCH_SQL_LOG_DIR/sql-<pid>.tsv``: the load test's request name (header ``X-Bench-Name``),
the status, the number of statements and the milliseconds the worker spent.
Sync workers handle one request at a time on one thread, so the count is the request's own.
"""

import os
import time
from pathlib import Path

LOG_DIR = Path(os.environ.get("BENCH_SQL_LOG_DIR", "var/bench/load"))


def pre_request(worker, req):
    from django.db import connection

    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    connection.execute_wrappers.append(counting)
    req.bench_sql = (count, counting, time.perf_counter())


def post_request(worker, req, environ, resp):
    from django.db import connection

    count, counting, started = req.bench_sql
    if counting in connection.execute_wrappers:
        connection.execute_wrappers.remove(counting)
    name = next((v for k, v in req.headers if k == "X-BENCH-NAME"), "-")
    ms = (time.perf_counter() - started) * 1000
    with open(LOG_DIR / f"sql-{os.getpid()}.tsv", "a") as log:
        log.write(f"{name}\t{resp.status_code}\t{count[0]}\t{ms:.1f}\n")
