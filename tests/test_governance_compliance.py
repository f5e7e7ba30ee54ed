"""Agency compliance: the grid of agencies × duties on the demo CoC shows real passes and gaps,
the printable letter, non-participating agencies, and the audit trail."""

import datetime

import pytest
from django.urls import reverse

from agencies.models import Agency
from governance.compliance import DUTIES, compliance_for
from governance.demo import load as load_governance
from governance.models import Agreement, Policy

TODAY = datetime.date.today()


@pytest.fixture
def gov(demo):
    load_governance(None)
    return demo


def grid(demo, user="cocadmin"):
    rows = compliance_for(demo.xx500, Agency.objects.restrict(demo.user(user)))
    return {row.agency.hud_organization_id: row.checks for row in rows}


def test_the_demo_grid_shows_real_passes_and_gaps(gov):
    checks = grid(gov)
    # Participating agencies only: the HMIS lead, the VSP (comparable database) and the meal
    # program (not participating) are listed elsewhere.
    assert sorted(checks) == ["A", "B", "C"]
    a, b, c = checks["A"], checks["B"], checks["C"]
    assert a["hmis_admin"].status == "pass" and "Devon Alvarez" in a["hmis_admin"].evidence
    assert a["executive"].status == "pass" and "Dana Whitfield" in a["executive"].evidence
    assert a["participation_agreement"].status == "pass"
    assert a["staff_trained"].status == "pass"
    assert b["participation_agreement"].status == "pass"  # current, though expiring soon
    assert b["staff_trained"].status == "gap" and "Beth Lindqvist" in b["staff_trained"].evidence
    assert c["hmis_admin"].status == "gap"
    assert c["participation_agreement"].status == "gap"
    assert "expired" in c["participation_agreement"].evidence
    assert c["staff_trained"].status == "gap"
    # Results owned by other apps read "unknown" with the reason until those apps provide them.
    for duty in ("pit_hic", "data_quality", "apr"):
        assert a[duty].status in {"pass", "gap", "unknown"}
        assert a[duty].evidence


def test_the_grid_page_marks_each_cell(gov, web_as):
    page = web_as("governance").get(reverse("governance:compliance", args=[gov.xx500.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-agency="C"' in html
    assert 'data-duty="participation_agreement" data-status="gap"' in html
    assert 'data-duty="hmis_admin" data-status="pass"' in html
    assert len(DUTIES) == 8


def test_agency_people_see_only_their_agency_row(gov):
    assert sorted(grid(gov, "director_a")) == ["A"]
    assert sorted(grid(gov, "dqm_b")) == ["B"]


def test_renewing_the_agreement_closes_the_gap(gov):
    Agreement.objects.filter(agency=gov.agency_c).update(
        expires_on=TODAY.replace(year=TODAY.year + 2)
    )
    assert grid(gov)["C"]["participation_agreement"].status == "pass"


def test_the_compliance_letter_prints_the_checks(gov, web_as):
    response = web_as("director_a").get(
        reverse("governance:compliance_letter", args=[gov.agency_a.pk])
    )
    text = response.content.decode()
    assert "Participation agreement current" in text and "HMIS administrator designated" in text
    assert (
        web_as("dqm_b")
        .get(reverse("governance:compliance_letter", args=[gov.agency_a.pk]))
        .status_code
        == 404
    )


def test_non_participating_agencies_show_outreach_and_history(gov, web_as):
    text = (
        web_as("cocadmin")
        .get(reverse("governance:non_participating", args=[gov.xx500.pk]))
        .content.decode()
    )
    assert "Agency E — Northside Community Meals" in text
    assert "Send the participation agreement" in text
    assert "Agency A" not in text


def test_the_compliance_api_answers_per_agency(gov, api_as):
    rows = api_as("cocadmin").get(f"/api/v1/compliance/{gov.xx500.pk}/").json()
    by_agency = {r["agency_name"][:8]: r for r in rows}
    assert by_agency["Agency C"]["checks"]["hmis_admin"]["status"] == "gap"
    assert api_as("cocadmin2").get(f"/api/v1/compliance/{gov.xx500.pk}/").status_code == 404


def test_every_change_is_in_the_audit_trail_with_before_and_after(gov, web_as, api_as):
    policy = Policy.objects.get(title="HMIS Policies and Procedures")
    response = api_as("governance").patch(
        f"/api/v1/policies/{policy.pk}/", {"title": "HMIS Policies and Procedures 2026"}
    )
    assert response.status_code == 200
    entries = api_as("cocadmin").get("/api/v1/audit-log/?kind=Policy").json()
    change = next(e for e in entries if e["action"] == "changed")
    assert change["who"] == "governance"
    assert [
        "title",
        "HMIS Policies and Procedures",
        "HMIS Policies and Procedures 2026",
    ] in change["changes"]
    # Role changes are audited too.
    assignment = gov.assignment("staff_a")
    assignment.note = "Night shift"
    assignment.save()
    kinds = {e["kind"] for e in api_as("cocadmin").get("/api/v1/audit-log/").json()}
    assert "role assignment" in kinds
    # The CSV export, and who may not read the trail.
    export = web_as("cocadmin").get(reverse("governance:audit") + "?export=csv")
    assert export["Content-Type"] == "text/csv"
    assert b"HMIS Policies and Procedures 2026" in export.content
    assert web_as("staff_a").get(reverse("governance:audit")).status_code == 403
    # Another CoC's administrator sees none of XX-500's changes.
    other = api_as("cocadmin2").get("/api/v1/audit-log/?kind=Policy").json()
    assert other == []


def test_the_schema_says_one_cocs_compliance_is_a_list_of_agency_rows(gov, client):
    # schemathesis (issue 8): the schema promised one object; the API answers the CoC's rows.
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    schema = paths["/api/v1/compliance/{id}/"]["get"]["responses"]["200"]["content"]
    body = schema["application/json"]["schema"]
    assert body["type"] == "array"
    assert body["items"] == {"$ref": "#/components/schemas/AgencyCompliance"}
