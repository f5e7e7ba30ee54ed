"""schemathesis against /api/schema/, in process, for every endpoint and every demo role.

Each generated request goes through the Django WSGI application on the test database with the demo
loaded, authenticated with the role's API token, inside a transaction that is rolled back after
the case: the generated POST/PUT/PATCH/DELETE calls never leak into the next case, and no case
depends on another's writes. Background work (builds, scans, imports) is handed to Celery on
commit, so it is not started here: this test holds the API's contract, the end-to-end tests hold
the work. Checks: no 5xx, every status code and content type documented, every JSON body matching
its schema.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.urls import resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agencies.demo import load_demo
from agencies.models import Agency, ContinuumOfCare
from dataquality.models import Scan
from dataquality.scans import run_scan
from governance.demo import load as load_governance
from reports.builder import build_version
from reports.models import Report
from roles.models import User
from tests.conftest import ROLES
from tests.reports_fixtures import APR_END, APR_START, NIGHT, build_scenario

# The database marker makes pytest-django create the test database and wrap each test in a
# transaction of its own (inside the module's, which holds the demo).
pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation and caller (219 operations x 9 callers): about 3 minutes on SQLite.
# The anonymous caller is answered 401 before any view runs, so one example says enough.
MAX_EXAMPLES = 2

APP = get_wsgi_application()
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", APP)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it; a token per demo user.

    Like Django's test client, requests do not close the connection (``close_old_connections``
    would drop the open transaction, and with it the demo, on PostgreSQL).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            load_demo()
            load_records()
            tokens = {
                user.username: Token.objects.get_or_create(user=user)[0].key
                for user in User.objects.filter(username__in=ROLES)
            }
            yield tokens
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def load_records():
    """Beyond the demo's people: HMIS records, a built PIT and APR, a report not built yet, a
    data-quality scan with its flags, and the governance demo, so that detail views, exports,
    drill-downs and workflow actions answer something other than 404."""
    xx500 = ContinuumOfCare.objects.get(code="XX-500")
    agencies = {a.hud_organization_id: a for a in Agency.objects.filter(coc=xx500)}
    scenario = build_scenario(
        SimpleNamespace(xx500=xx500, agency_a=agencies["A"], agency_b=agencies["B"])
    )
    projects = scenario.setup_projects("A-ES1", "B-TH", "B-PSH")
    for kind, dates in [("pit", {"night": NIGHT}), ("apr", {"start": APR_START, "end": APR_END})]:
        report = Report.objects.create(coc=xx500, kind=kind, status="draft", **dates)
        report.projects.set(projects)
        build_version(report)
    Report.objects.create(coc=xx500, kind="pit", status="queued", night=NIGHT).projects.set(
        projects
    )
    run_scan(Scan.objects.create(coc=xx500, as_of=APR_END).pk)
    load_governance(None)


def cases(operation):
    """The operation's cases; ``{id}`` is drawn from the demo's objects of the view's model (in
    and out of the caller's scope), so that detail views and actions answer more than 404."""
    if "{id}" not in operation.path:
        return operation.as_strategy()
    path = operation.path.replace("{id}", "1").replace("{table}", "t").replace("{cell}", "A1")
    model = resolve(path).func.cls.queryset.model
    ids = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return operation.as_strategy()
    return st.sampled_from(ids).flatmap(
        lambda pk: operation.as_strategy(path_parameters={"id": pk})
    )


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
@pytest.mark.parametrize("role", [*ROLES, None], ids=lambda role: role or "anonymous")
def test_every_answer_matches_the_schema(tokens, role, operation):
    headers = {"Authorization": f"Token {tokens[role]}"} if role else {}

    @settings(
        max_examples=MAX_EXAMPLES if role else 1,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation))
    def check(case):
        with transaction.atomic():
            try:
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)
            finally:
                transaction.set_rollback(True)

    check()
