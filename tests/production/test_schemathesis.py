"""schemathesis against /api/schema/ for every endpoint and every demo role, through gunicorn:
no 5xx, every status code documented, every response matching the schema.

Runs in its own module (so its own stack): the generated POST/PATCH/DELETE calls change data.
"""

import os
import subprocess

import pytest

from tests.conftest import ROLES
from tests.production.harness import bin_path

CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"


# Not yet part of CI: the apps' schemas still have known gaps (untyped method fields) that
# schemathesis reports; run it with SCHEMATHESIS=1 (issue 8 tracks making it pass).
@pytest.mark.skipif(not os.environ.get("SCHEMATHESIS"), reason="set SCHEMATHESIS=1 to run it")
@pytest.mark.parametrize("role", ROLES)
def test_the_api_holds_its_schema_for(stack, role, tmp_path):
    token = stack.token(role)
    result = subprocess.run(
        [
            bin_path("st"),
            "run",
            f"{stack.base_url}/api/schema/",
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            CHECKS,
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            "3",
            "--generation-deterministic",
            "--workers",
            "2",
            "--request-timeout",
            "60",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
