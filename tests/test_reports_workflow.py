"""The review flow: build (202), verify per agency, lock for ever, rebuild diffs, reminders."""

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from reports.builder import build_version
from reports.models import LockedVersionError, Report, ReportVersion
from tests.reports_fixtures import NIGHT, build_scenario


@pytest.fixture
def pit(demo):
    scenario = build_scenario(demo)
    report = Report.objects.create(coc=demo.xx500, kind="pit", night=NIGHT, status="draft")
    report.projects.set(scenario.setup_projects("A-ES1", "B-TH", "B-PSH"))
    build_version(report)
    return report


def test_cocadmin_builds_a_pit_draft_through_the_api(
    demo, api_as, django_capture_on_commit_callbacks
):
    scenario = build_scenario(demo)
    ids = list(scenario.setup_projects("A-ES1", "B-TH").values_list("pk", flat=True))
    client = api_as("cocadmin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/reports/",
            {"kind": "pit", "coc": demo.xx500.pk, "projects": ids, "night": "2026-01-28"},
            format="json",
        )
    assert response.status_code == 202
    detail = client.get(f"/api/v1/reports/{response.json()['id']}/").json()
    assert detail["status"] == "draft"
    assert detail["tables"]["totals"]["persons"] == 5
    assert detail["tables"]["totals"]["by_project_type"] == {"ES": 4, "TH": 1, "SH": 0}
    assert detail["tables"]["PIT_AO"]["E3"] == 3


def test_an_apr_reads_as_question_and_cell(demo, api_as, django_capture_on_commit_callbacks):
    scenario = build_scenario(demo)
    ids = list(scenario.setup_projects("A-ES1", "B-TH", "B-PSH").values_list("pk", flat=True))
    client = api_as("cocadmin")
    body = {"kind": "apr", "coc": demo.xx500.pk, "projects": ids,
            "start": "2025-10-01", "end": "2026-09-30"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        report_id = client.post("/api/v1/reports/", body, format="json").json()["id"]
    assert client.get(f"/api/v1/reports/{report_id}/").json()["tables"]["Q5a"]["C2"] == 7
    export = client.get(f"/api/v1/reports/{report_id}/export/?format=zip")
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"


def test_an_agency_cannot_verify_another_agencys_numbers(pit, demo, api_as):
    response = api_as("dqm_b").post(
        f"/api/v1/reports/{pit.pk}/verify/",
        {"agency": demo.agency_a.pk, "decision": "verified"},
        format="json",
    )
    assert response.status_code == 403
    ok = api_as("dqm_b").post(
        f"/api/v1/reports/{pit.pk}/verify/",
        {"agency": demo.agency_b.pk, "decision": "verified"},
        format="json",
    )
    assert ok.status_code == 200
    pit.refresh_from_db()
    assert pit.status == "in_review"


def test_a_question_needs_its_text(pit, demo, api_as):
    response = api_as("dqm_a").post(
        f"/api/v1/reports/{pit.pk}/verify/",
        {"agency": demo.agency_a.pk, "decision": "question"},
        format="json",
    )
    assert response.status_code == 400
    assert b"Write the question" in response.content


def test_a_locked_version_never_changes(pit, demo, api_as):
    assert api_as("cocadmin").post(f"/api/v1/reports/{pit.pk}/lock/").status_code == 200
    version = ReportVersion.objects.get(report=pit)
    version.tables = {}
    with pytest.raises(LockedVersionError):
        version.save()
    with pytest.raises(LockedVersionError):
        ReportVersion.objects.filter(pk=version.pk).update(tables={})
    with pytest.raises(LockedVersionError):
        version.delete()
    # Past the ORM, the database trigger refuses too.
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE reports_reportversion SET tables = '{}' WHERE id = %s", [version.pk])
    assert api_as("cocadmin").post(f"/api/v1/reports/{pit.pk}/rebuild/").status_code == 400
    assert (
        api_as("dqm_a")
        .post(
            f"/api/v1/reports/{pit.pk}/verify/",
            {"agency": demo.agency_a.pk, "decision": "verified"},
            format="json",
        )
        .status_code
        == 400
    )
    assert api_as("cocadmin").post(f"/api/v1/reports/{pit.pk}/submit/").json() == {
        "status": "submitted"
    }


def test_a_rebuild_makes_a_new_version_showing_what_changed(
    pit, demo, api_as, django_capture_on_commit_callbacks
):
    from hmis.models import Enrollment

    Enrollment.objects.filter(enrollment_id="e1").update(date_deleted="2026-02-02T00:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("cocadmin").post(f"/api/v1/reports/{pit.pk}/rebuild/")
    assert response.status_code == 202
    versions = api_as("cocadmin").get(f"/api/v1/reports/{pit.pk}/versions/").json()
    assert [v["number"] for v in versions] == [2, 1]
    changed = {(d["table"], d["cell"]): (d["before"], d["after"]) for d in versions[0]["diff"]}
    assert changed[("PIT_AO", "E3")] == (3, 2)


def test_reminders_go_to_agencies_that_have_not_verified(pit, demo, api_as):
    api_as("dqm_a").post(
        f"/api/v1/reports/{pit.pk}/verify/",
        {"agency": demo.agency_a.pk, "decision": "verified"},
        format="json",
    )
    mail.outbox.clear()
    assert api_as("cocadmin").post(f"/api/v1/reports/{pit.pk}/remind/").json()["sent"] >= 1
    recipients = {r for m in mail.outbox for r in m.to}
    assert demo.user("dqm_b").email in recipients
    assert demo.user("dqm_a").email not in recipients


def test_cell_drill_down_api_hides_other_agencies_rows(pit, api_as):
    body = api_as("dqm_b").get(f"/api/v1/reports/{pit.pk}/cells/PIT_AO/E3/").json()
    assert body["value"] == 3 and body["hidden"] == 2
    assert [r["personal_id"] for r in body["rows"]] == ["c5"]
    assert api_as("cocadmin2").get(f"/api/v1/reports/{pit.pk}/cells/PIT_AO/E3/").status_code == 404


def test_the_report_list_runs_a_fixed_number_of_queries(pit, api_as, django_assert_max_num_queries):
    client = api_as("dqm_a")
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/reports/").status_code == 200


def test_the_report_page_shows_the_review_board(pit, web_as):
    page = web_as("dqm_a").get(f"/reports/{pit.pk}/")
    assert page.status_code == 200
    assert b"Verify" in page.content and b"review-board" in page.content


def test_the_sage_zip_of_a_pit_is_refused_in_the_api_error_shape(pit, api_as):
    # schemathesis (issue 8): the refusal was a bare text/html 400 the schema did not document.
    response = api_as("cocadmin").get(f"/api/v1/reports/{pit.pk}/export/?format=zip")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert body["errors"]["format"] == ["The Sage CSV zip is for the APR."]


@pytest.mark.parametrize("url", ["export/?format=csv", "cells/PIT_AO/E3/"])
def test_a_report_not_built_yet_answers_404_in_the_api_error_shape(demo, api_as, url):
    # schemathesis (issue 8): {"detail": ...} alone, without the "status" every error carries.
    report = Report.objects.create(coc=demo.xx500, kind="pit", night=NIGHT, status="queued")
    response = api_as("cocadmin").get(f"/api/v1/reports/{report.pk}/{url}")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_built", "detail": "Not built yet."}


def test_the_schema_says_a_build_request_answers_202_with_the_run(pit, client):
    # schemathesis (issue 8): the schema promised 201 and a report; the API answers 202.
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in ["/api/v1/reports/", "/api/v1/reports/{id}/rebuild/"]:
        responses = paths[path]["post"]["responses"]
        assert "201" not in responses and "202" in responses, path
    export = paths["/api/v1/reports/{id}/export/"]["get"]["responses"]["200"]["content"]
    assert {"text/csv", "application/zip", "text/html"} <= set(export)
    # The versions are one list, not a page (the schema promised a paginated object).
    versions = paths["/api/v1/reports/{id}/versions/"]["get"]["responses"]["200"]["content"]
    assert versions["application/json"]["schema"]["type"] == "array"
