"""The OpenAPI schema lists every endpoint; list endpoints cost a fixed number of queries."""

import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from dataquality.models import DataQualityPlan
from tests.factories import ProjectFactory


def test_the_schema_lists_every_foundation_endpoint(demo, client):
    response = client.get(reverse("schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    for path in [
        "/api/v1/cocs/",
        "/api/v1/cocs/{id}/",
        "/api/v1/cocs/{id}/responsibilities/",
        "/api/v1/agencies/",
        "/api/v1/agencies/{id}/",
        "/api/v1/projects/",
        "/api/v1/projects/{id}/",
        "/api/v1/users/",
        "/api/v1/users/{id}/",
        "/api/v1/roles/",
        "/api/v1/roles/{id}/",
        "/api/v1/role-assignments/",
        "/api/v1/role-assignments/{id}/",
        "/api/v1/role-assignments/{id}/end/",
        "/api/v1/auth/token/",
    ]:
        assert path in paths, path


def test_the_docs_page_is_served_without_a_cdn(client):
    page = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()


def test_objects_carry_the_fields_rest_clients_rely_on(demo, api_as):
    client = api_as("cocadmin")
    coc = client.get(reverse("coc-detail", args=[demo.xx500.pk])).json()
    assert {"id", "code", "name"} <= set(coc)
    agency = client.get(reverse("agency-detail", args=[demo.agency_a.pk])).json()
    assert {"id", "name", "coc", "hud_organization_id"} <= set(agency)
    project = client.get(reverse("project-detail", args=[demo.project_a.pk])).json()
    assert {"id", "name", "agency", "hud_project_id", "project_type"} <= set(project)
    assert project["project_type"] == 0


def test_validation_errors_say_which_field_and_what(demo, api_as):
    response = api_as("cocadmin").post(
        reverse("project-list"),
        {
            "agency": demo.agency_a.pk,
            "name": "X",
            "hud_project_id": "X1",
            "project_type": 5,
            "operating_start": "2025-02-01",
            "operating_end": "2025-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert body["errors"]["project_type"] == ['"5" is not a valid choice.']


def test_a_bad_coc_code_is_refused(demo, api_as):
    response = api_as("cocadmin").patch(
        reverse("coc-detail", args=[demo.xx500.pk]), {"code": "X-50"}, format="json"
    )
    assert response.status_code == 400
    assert "HUD CoC code" in response.json()["errors"]["code"][0]


@pytest.mark.parametrize(
    "route", ["coc-list", "agency-list", "project-list", "user-list", "role-assignment-list"]
)
def test_api_lists_cost_the_same_number_of_queries_for_more_rows(
    demo, api_as, route, django_assert_max_num_queries
):
    client = api_as("cocadmin")
    client.get(reverse(route))  # warm caches (content types)
    with django_assert_max_num_queries(4):
        small = client.get(reverse(route))
    for _ in range(20):
        ProjectFactory(agency=demo.agency_a)
    with django_assert_max_num_queries(4):
        large = client.get(reverse(route))
    assert small.status_code == large.status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "agencies:coc_list",
        "agencies:agency_list",
        "agencies:project_list",
        "roles:user_list",
        "roles:assignment_list",
    ],
)
def test_list_pages_cost_a_fixed_number_of_queries(
    demo, web_as, name, django_assert_max_num_queries
):
    client = web_as("cocadmin")
    client.get(reverse(name))
    for _ in range(20):
        ProjectFactory(agency=demo.agency_a)
    with django_assert_max_num_queries(14):
        assert client.get(reverse(name)).status_code == 200


def test_the_schema_generates_without_a_warning(tmp_path):
    """Every method field typed, enum names chosen, files and 202s documented: a warning from
    drf-spectacular means clients (and schemathesis) get a guessed type."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--settings=hmis_gov.settings.test",
            "--file",
            str(tmp_path / "schema.yaml"),
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "openapi: 3" in (tmp_path / "schema.yaml").read_text()


def test_times_are_documented_as_the_api_writes_them(demo, api_as, client):
    # schemathesis (issue 8): "format: time" demands an offset ("02:00:00Z"); DRF writes local
    # wall-clock times, so the schema gives their pattern (hmis_gov.api.schema).
    schema = client.get(reverse("schema"), HTTP_ACCEPT="application/json").json()
    scan_time = schema["components"]["schemas"]["DataQualityPlan"]["properties"]["scan_time"]
    assert "format" not in scan_time
    DataQualityPlan.objects.get_or_create(coc=demo.xx500)
    plan = api_as("cocadmin").get("/api/v1/dq/plans/").json()["results"][0]
    assert re.fullmatch(scan_time["pattern"], plan["scan_time"])


def test_what_may_be_null_is_documented_as_nullable(client):
    # schemathesis (issue 8): scan-written flag events have no user, an agency's scorecard row
    # and a flag on a client have no project; the schema said integer/string.
    schemas = client.get(reverse("schema"), HTTP_ACCEPT="application/json").json()["components"]
    schemas = schemas["schemas"]
    assert schemas["FlagEvent"]["properties"]["user"]["nullable"] is True
    assert schemas["Flag"]["properties"]["project"]["nullable"] is True
    assert schemas["ScanResult"]["properties"]["project"]["nullable"] is True


def test_every_delete_documents_409_in_use(client):
    paths = client.get(reverse("schema"), HTTP_ACCEPT="application/json").json()["paths"]
    deletes = [item["delete"] for item in paths.values() if "delete" in item]
    assert deletes and all("409" in op["responses"] for op in deletes)
