"""Governance timings on the demo data, run by hand (not part of the test suite).

    DATABASE_URL=... .venv/bin/python bench/governance.py

Measures the compliance grid of XX-500, the consent flags over every client an agency
administrator sees, and the audit trail page, with their query counts.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hmis_gov.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from agencies.models import Agency, ContinuumOfCare  # noqa: E402
from governance import audit, compliance  # noqa: E402
from governance.consent import annotate_identifying  # noqa: E402
from hmis.models import Client  # noqa: E402
from roles.models import User  # noqa: E402


def timed(label, fn, repeat=5):
    best, queries = None, 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        queries = len(ctx.captured_queries)
    print(f"{label:55s} {best * 1000:8.1f} ms  {queries:4d} queries")
    return result


coc = ContinuumOfCare.objects.get(code="XX-500")
admin, dqm_b = User.objects.get(username="cocadmin"), User.objects.get(username="dqm_b")
timed(
    "compliance grid, XX-500, as cocadmin",
    lambda: compliance.compliance_for(coc, Agency.objects.restrict(admin)),
)
n = Client.objects.restrict(dqm_b).count()
timed(
    f"consent flags over {n} clients, as dqm_b",
    lambda: list(
        annotate_identifying(dqm_b, Client.objects.restrict(dqm_b)).values_list(
            "pk", "identifying_ok"
        )
    ),
)
timed("audit trail, newest 200, as cocadmin", lambda: audit.entries(admin, limit=200))
