"""The hmis API and pages: upload and status, isolation, PII and its access log, export."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hmis.models import Client, PIIAccessLog, Source
from tests import hmis_builder as hb

LISTS = [
    "client-list",
    "enrollment-list",
    "hmis-exit-list",
    "hmis-services-list",
    "hmis-project-list",
    "hmis-import-list",
]


def test_posting_a_zip_answers_202_and_the_run_reports_its_outcome(loaded, api_as):
    api = api_as("dqm_a")
    upload = SimpleUploadedFile("export.zip", hb.valid_export(), "application/zip")
    response = api.post(
        reverse("hmis-import-list"),
        {"file": upload, "coc": "XX-500", "source": "a-own"},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    assert set(response.json()) == {"id"}
    status = api.get(reverse("hmis-import-detail", args=[response.json()["id"]])).json()
    assert status["status"] == "succeeded"
    assert status["csv_version"] == "2026 v1.0"
    assert status["counts"]["Client"] == 2
    assert status["errors"] == [] and isinstance(status["warnings"], list)


def test_a_failed_upload_lists_problems_with_file_line_column_value_message(loaded, api_as):
    api = api_as("dqm_a")
    bad = hb.build(hb.changed(Enrollment={0: {"EntryDate": "2025-13-01"}}))
    upload = SimpleUploadedFile("bad.zip", bad, "application/zip")
    run_id = api.post(
        reverse("hmis-import-list"),
        {"file": upload, "coc": "XX-500", "source": "a-own"},
        format="multipart",
    ).json()["id"]
    status = api.get(reverse("hmis-import-detail", args=[run_id])).json()
    assert status["status"] == "failed"
    assert status["errors"] == [
        {
            "file": "Enrollment.csv",
            "line": 2,
            "column": "EntryDate",
            "value": "2025-13-01",
            "message": "Not a real date (yyyy-mm-dd).",
        }
    ]


def test_dqm_b_may_not_upload_into_agency_a_source(loaded, api_as):
    upload = SimpleUploadedFile("export.zip", hb.valid_export(), "application/zip")
    response = api_as("dqm_b").post(
        reverse("hmis-import-list"),
        {"file": upload, "coc": "XX-500", "source": "a-own"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "source" in response.json()["errors"] or "source" in str(response.json())


@pytest.mark.parametrize("user", ["dqm_b", "cocadmin2"])
@pytest.mark.parametrize("name", LISTS)
def test_outsiders_never_see_agency_a_records_in_lists(loaded, api_as, user, name):
    response = api_as(user).get(reverse(name))
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("user", ["dqm_b", "cocadmin2"])
def test_outsiders_get_404_for_agency_a_client_enrollment_and_import(loaded, api_as, user):
    client = Client.objects.get(personal_id="P1")
    api = api_as(user)
    assert api.get(reverse("client-detail", args=[client.pk])).status_code == 404
    enrollment = client.enrollments.get()
    assert api.get(reverse("enrollment-detail", args=[enrollment.pk])).status_code == 404
    assert api.get(reverse("hmis-import-detail", args=[loaded.pk])).status_code == 404


@pytest.mark.parametrize("user", ["dqm_b", "cocadmin2"])
def test_outsiders_export_nothing_of_agency_a(loaded, web_as, demo, user):
    coc = demo.xx500 if user == "dqm_b" else demo.xx501
    response = web_as(user).get(reverse("hmis:export"), {"coc": coc.pk})
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.read("Client.csv").decode().strip().count("\n") == 0
    assert archive.read("Enrollment.csv").decode().strip().count("\n") == 0


def test_lists_run_a_fixed_number_of_queries(loaded, api_as, django_assert_max_num_queries):
    api = api_as("cocadmin")
    for name in ["client-list", "enrollment-list", "hmis-services-list"]:
        with django_assert_max_num_queries(8):
            assert api.get(reverse(name)).status_code == 200


def test_names_and_ssn_only_to_those_who_may_see_pii_and_each_view_is_logged(loaded, api_as):
    client = Client.objects.get(personal_id="P1")
    seen = api_as("staff_a").get(reverse("client-detail", args=[client.pk])).json()
    assert seen["first_name"] == "Ana" and seen["ssn"] == "***-**-6789"
    assert seen["dob"] == "1980-02-03"
    hidden = api_as("director_a").get(reverse("client-detail", args=[client.pk])).json()
    assert hidden["first_name"] is None and hidden["ssn"] is None and hidden["dob"] is None
    logs = PIIAccessLog.objects.filter(client=client)
    assert [(log.user.username, log.personal_id) for log in logs] == [("staff_a", "P1")]
    assert logs[0].where.startswith("API /api/v1/clients/")


def test_a_client_list_logs_one_row_per_client_shown_with_pii(loaded, api_as):
    api_as("cocadmin").get(reverse("client-list"))
    api_as("director_a").get(reverse("client-list"))  # no PII: nothing to log
    assert sorted(PIIAccessLog.objects.values_list("user__username", "personal_id")) == [
        ("cocadmin", "P1"),
        ("cocadmin", "P2"),
    ]


def test_the_client_page_logs_the_view_and_hides_pii_from_the_executive(loaded, web_as):
    client = Client.objects.get(personal_id="P1")
    page = web_as("dqm_a").get(reverse("hmis:client", args=[client.pk]))
    assert b"Ana" in page.content and b"***-**-6789" in page.content
    page = web_as("director_a").get(reverse("hmis:client", args=[client.pk]))
    assert b"Ana" not in page.content and b"6789" not in page.content
    assert list(PIIAccessLog.objects.values_list("user__username", flat=True)) == ["dqm_a"]


def test_administrators_list_the_access_log_and_others_see_none_of_it(loaded, api_as, web_as):
    client = Client.objects.get(personal_id="P1")
    api_as("staff_a").get(reverse("client-detail", args=[client.pk]))
    assert api_as("cocadmin").get(reverse("pii-access-list")).json()["count"] == 1
    assert api_as("staff_a").get(reverse("pii-access-list")).json()["count"] == 0
    assert api_as("dqm_b").get(reverse("pii-access-list")).json()["count"] == 0
    assert web_as("cocadmin").get(reverse("hmis:access_log")).status_code == 200


def test_name_search_finds_clients_only_for_those_who_may_see_names(loaded, api_as):
    assert api_as("dqm_a").get(reverse("client-list"), {"name": "ana"}).json()["count"] == 1
    assert api_as("director_a").get(reverse("client-list"), {"name": "ana"}).json()["count"] == 0
    assert (
        api_as("director_a").get(reverse("client-list"), {"personal_id": "P1"}).json()["count"] == 1
    )


def test_import_then_export_round_trips_the_same_rows_and_values(loaded, web_as, demo):
    response = web_as("cocadmin").get(reverse("hmis:export"), {"coc": demo.xx500.pk})
    exported = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    original = zipfile.ZipFile(io.BytesIO(hb.valid_export()))
    for name in original.namelist():
        if name == "Export.csv":
            continue  # describes the new export
        assert exported.read(name).decode().splitlines() == (
            original.read(name).decode().splitlines()
        ), name
    assert PIIAccessLog.objects.filter(user__username="cocadmin").count() == 2


def test_the_upload_page_queues_an_import_and_shows_its_problems(loaded, web_as):
    web = web_as("dqm_a")
    source = Source.objects.get(key="a-own")
    upload = SimpleUploadedFile("export.zip", hb.build(omit=("Exit",)), "application/zip")
    response = web.post(reverse("hmis:import_add"), {"source": source.pk, "file": upload})
    assert response.status_code == 302
    page = web.get(response["Location"])
    assert b"Exit.csv is missing" in page.content


@pytest.mark.parametrize("name", ["hmis:client_list", "hmis:enrollment_list"])
def test_a_list_page_says_how_many_rows_it_found_and_counts_them_once(loaded, web_as, name):
    """The count above the table is the viewer's restricted total (it said "0 found" whatever
    the total was), and the page counts the rows with one COUNT(*), not one per paginator."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hmis.models import Enrollment
    from roles.models import User

    model = Client if name == "hmis:client_list" else Enrollment
    visible = model.objects.restrict(User.objects.get(username="dqm_a")).count()
    assert visible > 0
    with CaptureQueriesContext(connection) as queries:
        page = web_as("dqm_a").get(reverse(name))
    assert page.status_code == 200
    assert f"{visible} found." in page.content.decode()
    table = f'FROM "{model._meta.db_table}"'
    counts = [q["sql"] for q in queries if "COUNT(*)" in q["sql"] and table in q["sql"]]
    assert len(counts) == 1, counts
