"""Isolation: dqm_b never sees Agency A flags, by list, id, export or count; staff only look."""

from __future__ import annotations

import pytest

from dataquality.models import Flag


@pytest.fixture
def flags(agency_flags):
    return agency_flags


def test_dqm_b_never_sees_agency_a_flags(demo, api_as, web_as, flags):
    a_flag = flags[demo.agency_a.pk]
    api = api_as("dqm_b")
    listed = api.get("/api/v1/dq/flags/").json()
    assert {row["agency"] for row in listed["results"]} == {demo.agency_b.pk}
    assert api.get(f"/api/v1/dq/flags/{a_flag.pk}/").status_code == 404
    assert api.get(f"/api/v1/dq/flags/?agency={demo.agency_a.pk}").status_code == 400
    page = web_as("dqm_b")
    assert page.get(f"/data-quality/flags/{a_flag.pk}/").status_code == 404
    export = page.get("/data-quality/?_export=csv&status=open").content.decode()
    assert a_flag.hud_id not in export and flags[demo.agency_b.pk].hud_id in export
    assert page.get("/data-quality/").context["dq_open_flags"]() == 1


def test_dqm_a_acts_on_own_flags_and_staff_only_look(demo, api_as, flags):
    a_flag = flags[demo.agency_a.pk]
    response = api_as("dqm_a").patch(
        f"/api/v1/dq/flags/{a_flag.pk}/", {"status": "accepted", "reason": "client declined"}
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert api_as("staff_a").get(f"/api/v1/dq/flags/{a_flag.pk}/").status_code == 200
    assert (
        api_as("staff_a").patch(f"/api/v1/dq/flags/{a_flag.pk}/", {"status": "open"}).status_code
        == 403
    )


def test_accepting_without_a_reason_says_what_to_fix(demo, api_as, flags):
    response = api_as("dqm_a").patch(
        f"/api/v1/dq/flags/{flags[demo.agency_a.pk].pk}/", {"status": "accepted"}
    )
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_the_flag_list_runs_a_fixed_number_of_queries(
    demo, api_as, flags, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert api_as("cocadmin").get("/api/v1/dq/flags/").status_code == 200


def test_post_scan_answers_202_with_its_id_and_get_gives_counts(
    demo, api_as, flags, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("cocadmin").post(
            "/api/v1/dq/scans/", {"coc": demo.xx500.pk, "as_of": "2025-09-30"}
        )
    assert response.status_code == 202
    scan = api_as("cocadmin").get(f"/api/v1/dq/scans/{response.json()['id']}/").json()
    assert scan["status"] == "succeeded"
    assert scan["counts"]["DISABLING_MISSING"] == 1
    assert scan["counts"]["DISABLING_DKPNTA"] == 1


def test_the_schema_documents_what_scans_and_flag_comments_answer(demo, api_as, flags, client):
    # schemathesis (issue 8): POST scans promised 201 and a scan (answers 202 and the queued id);
    # flag comments promised a Flag (GET answers the flag's events, POST 201 and the new event).
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    scans = paths["/api/v1/dq/scans/"]["post"]["responses"]
    assert "201" not in scans and "202" in scans
    comments = paths["/api/v1/dq/flags/{id}/comments/"]
    listed = comments["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed == {"type": "array", "items": {"$ref": "#/components/schemas/FlagEvent"}}
    added = comments["post"]["responses"]
    assert "201" in added and "200" not in added
    flag = flags[demo.agency_a.pk]
    response = api_as("dqm_a").post(
        f"/api/v1/dq/flags/{flag.pk}/comments/", {"text": "Called the shelter."}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "comment" and response.json()["text"] == "Called the shelter."


def test_a_flag_without_a_project_answers_the_same_fields_to_get_and_patch(demo, api_as, flags):
    # schemathesis (issue 8): a PATCH's answer left out project_name when the flag had no project
    # (client-level rules, e.g. SSN): DRF skips a dotted source's default in a partial update.
    flag = flags[demo.agency_a.pk]
    Flag.objects.filter(pk=flag.pk).update(hmis_project=None)
    api = api_as("dqm_a")
    read = api.get(f"/api/v1/dq/flags/{flag.pk}/").json()
    patched = api.patch(f"/api/v1/dq/flags/{flag.pk}/", {}, format="json").json()
    assert set(patched) == set(read)
    assert patched["project"] is None and patched["project_name"] == ""


def test_the_badge_counts_the_viewers_open_flags_up_to_its_cap(demo, web_as, flags, monkeypatch):
    """The navigation badge shows the viewer's own open flags; past the cap it says "cap+"
    instead of counting every open flag of a large CoC on every page."""
    import re

    from dataquality import context_processors

    def badge(username):
        html = web_as(username).get("/data-quality/").content.decode()
        found = re.search(r'id="dq-badge"[^>]*>([^<]+)<', html)
        return found.group(1) if found else None

    cocadmin_sees = Flag.objects.filter(status__in=("open", "in_review")).count()
    assert cocadmin_sees >= 2
    assert badge("dqm_b") == "1"  # Agency B's one flag, not Agency A's
    assert badge("cocadmin") == str(cocadmin_sees)
    monkeypatch.setattr(context_processors, "BADGE_CAP", cocadmin_sees - 1)
    assert badge("cocadmin") == f"{cocadmin_sees - 1}+"
    assert badge("dqm_b") == "1"  # exactly at the cap: the number itself
