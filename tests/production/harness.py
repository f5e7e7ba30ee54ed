"""Start the production shape for real: gunicorn, a Celery worker and beat as separate processes
against PostgreSQL and Redis, on a database of their own (the same shape as docker-compose.yml).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bin_path(name: str) -> str:
    candidate = VENV_BIN / name
    return str(candidate) if candidate.exists() else name


@dataclass
class Stack:
    """The running processes and how to reach them."""

    env: dict[str, str]
    base_url: str
    workdir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    redis: RedisServer | None = None  # a module's private Redis (PRIVATE_REDIS), else None

    def manage(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [bin_path("python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_web(self) -> None:
        self.start(
            "web",
            [
                bin_path("gunicorn"),
                "hmis_gov.wsgi:application",
                "--bind",
                self.base_url.removeprefix("http://"),
                "--workers",
                "2",
                "--timeout",
                "120",
            ],
        )

    def start_worker(self, name: str = "worker") -> subprocess.Popen:
        return self.start(
            name,
            [
                bin_path("celery"),
                "-A",
                "hmis_gov",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--hostname",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
        )

    def start_beat(self) -> None:
        self.start(
            "beat",
            [
                bin_path("celery"),
                "-A",
                "hmis_gov",
                "beat",
                "--loglevel=INFO",
                "--scheduler",
                "django_celery_beat.schedulers:DatabaseScheduler",
                "--pidfile",
                str(self.workdir / "beat.pid"),
            ],
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.processes):
            try:
                self.kill(name, signal.SIGTERM)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.processes.pop(name, None).pid, signal.SIGKILL)

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def wait_healthy(self, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                return self.get("/healthz")
            except (OSError, urllib.error.HTTPError) as exc:
                last = exc
                time.sleep(0.5)
        raise AssertionError(f"web did not become healthy: {last}\n{self.log('web')[-3000:]}")

    def request(
        self,
        method: str,
        path: str,
        body=None,
        token: str | None = None,
        content_type: str = "application/json",
    ):
        data = (
            json.dumps(body).encode()
            if body is not None and content_type == "application/json"
            else body
        )
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = content_type
        if token:
            headers["Authorization"] = f"Token {token}"
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=headers
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = response.read()
            return response.status, json.loads(payload) if payload else None

    def get(self, path: str, token: str | None = None):
        return self.request("GET", path, token=token)[1]

    def create_source(self, token: str, coc_id: int, key: str) -> dict:
        status, body = self.request(
            "POST",
            "/api/v1/sources/",
            {"coc": coc_id, "key": key, "name": key.title()},
            token=token,
        )
        assert status == 201, body
        return body

    def token(self, username: str, password: str = "demo-pass-2026") -> str:
        status, body = self.request(
            "POST", "/api/v1/auth/token/", {"username": username, "password": password}
        )
        assert status == 200
        return body["token"]


@dataclass
class RedisServer:
    """A Redis of a test module's own, as a child process: it can be stopped and restarted without
    touching the machine's shared Redis (port 6379). No persistence (``--save ""``, no AOF), so a
    restart loses every queued message, as a Redis without a volume does in production."""

    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 20) -> None:
        log = open(self.workdir / "redis.log", "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ping():
                return
            time.sleep(0.1)
        raise AssertionError(f"redis-server did not start on {self.port}")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1).ping())
        except redis.exceptions.ConnectionError:
            return False

    def stop(self, sig: int = signal.SIGKILL) -> None:
        """Stop it (SIGKILL: a crash); whatever it held is gone."""
        if self.process is not None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)
            self.process = None

    def queued_tasks(self, queue: str = "celery") -> list[str]:
        """The names of the tasks waiting in a Celery queue (kombu's JSON envelope)."""
        import redis

        messages = redis.Redis.from_url(self.url).lrange(queue, 0, -1)
        return [json.loads(m).get("headers", {}).get("task", "") for m in messages]


def redis_url_for_this_worker() -> str:
    """A Redis db of its own for each pytest-xdist worker's stack.

    Two stacks sharing one Redis db share the ``celery`` queue, so one stack's worker takes the
    other's tasks and fails on ids its database does not hold (CI, 2026-11-24). Databases 5 to
    14 are left to the stacks; the suite's own REDIS_URL uses another.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw") or 0) if worker.startswith("gw") else 0
    return f"redis://127.0.0.1:6379/{5 + index % 10}"


def make_stack(database: str, workdir: Path) -> Stack:
    """Environment for a stack on its own PostgreSQL database and Redis db; nothing started."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hmis_gov.settings.production",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": os.environ.get("E2E_REDIS_URL") or redis_url_for_this_worker(),
        "SECRET_KEY": "e2e-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; TLS is the proxy's job
        "STATIC_ROOT": str(workdir / "static"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    return Stack(env=env, base_url=f"http://127.0.0.1:{port}", workdir=workdir)


def recreate_database(name: str) -> None:
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c", sql],
            check=True,
            capture_output=True,
        )


def flush_redis_db(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()
