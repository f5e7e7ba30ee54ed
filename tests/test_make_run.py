"""`make run`'s shape, started for real: migrate, load the demo, serve with a Celery worker."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served_demo(tmp_path):
    """bin/run-dev on its own SQLite file and file broker, after migrate and load_demo."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hmis_gov.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
        "PORT": str(free_port()),
        "DEBUG": "false",
    }
    env.pop("REDIS_URL", None)
    python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    process = subprocess.Popen(
        [str(ROOT / "bin" / "run-dev")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("bin/run-dev did not answer /healthz within 60 s")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def log_in(base: str, username: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": "demo-pass-2026"}
    ).encode()
    request = urllib.request.Request(f"{base}/login/", data=data, headers={"Referer": base})
    return opener.open(request).read().decode()


def test_the_demo_is_served_with_a_worker_and_its_users_can_log_in(served_demo):
    with urllib.request.urlopen(f"{served_demo}/healthz") as response:
        health = json.load(response)
    assert health["database"]["ok"] and health["broker"] == {
        "ok": True,
        "kind": "filesystem",
        "detail": "filesystem",
    }
    for username in ["cocadmin", "dqm_b", "cocadmin2"]:
        home = log_in(served_demo, username)
        assert f"Signed in as <strong>{username}</strong>" in home
    # Static files (Bootstrap from the npm registry) are served by the app itself.
    with urllib.request.urlopen(
        f"{served_demo}/static/vendor/bootstrap/css/bootstrap.min.css"
    ) as r:
        assert r.status == 200
