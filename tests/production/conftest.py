"""The production-shape tests need PostgreSQL and Redis (CI's first run); else they skip."""

import os
import shutil

import pytest

from tests.production.harness import (
    RedisServer,
    flush_redis_db,
    make_stack,
    recreate_database,
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/production/" in str(item.fspath):
            item.add_marker(pytest.mark.production)
            # One stack per module: under pytest-xdist, keep a module's tests on one worker.
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(scope="module")
def stack(request, tmp_path_factory):
    """A stack per test module; a module may set ``STACK_ENV`` (extra environment)."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get(
        "REDIS_URL"
    ):
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL: run by .ci/run's first pass")
    if not shutil.which("psql"):
        pytest.skip("psql is not installed")
    workdir = tmp_path_factory.mktemp("stack")
    database = f"hmis_e2e_{os.getpid()}"
    recreate_database(database)
    stack = make_stack(database, workdir)
    stack.env.update(getattr(request.module, "STACK_ENV", {}))
    redis_server = None
    if getattr(request.module, "PRIVATE_REDIS", False):
        # A Redis the module may stop and restart (never the shared one on 6379).
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        redis_server = RedisServer(workdir)
        redis_server.start()
        stack.env["REDIS_URL"] = redis_server.url
    stack.redis = redis_server
    flush_redis_db(stack.env["REDIS_URL"])
    stack.manage("migrate", "--noinput")
    stack.manage("collectstatic", "--noinput")
    stack.manage("load_demo")
    stack.start_web()
    stack.start_worker()
    stack.start_beat()
    stack.wait_healthy()
    yield stack
    stack.stop()
    if redis_server is not None:
        redis_server.stop()
    recreate_database(database)  # leave an empty database behind, not the demo's data
