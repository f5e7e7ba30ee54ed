"""Who does what: the gaps a CoC administrator must see."""

import datetime

from django.urls import reverse
from django.utils import timezone

from roles.coverage import coverage_for
from roles.models import Role, RoleAssignment

TODAY = timezone.localdate()


def gap_codes(coverage):
    return sorted((gap.code, gap.role, gap.agency_id) for gap in coverage.gaps)


def test_the_demo_shows_its_two_real_gaps(demo):
    coverage = coverage_for(demo.xx500)
    assert gap_codes(coverage) == [
        ("agency_role_missing", "agency_hmis_admin", demo.agency_c.pk),
        ("assignment_ending", "hmis_vendor", None),
    ]
    messages = [gap.message for gap in coverage.gaps]
    assert (
        "Agency C — Eastside Family Center has no designated Agency HMIS administrator"
        in (messages[0])
    )


def test_every_responsibility_of_the_seed_is_listed_with_its_holders(demo):
    coverage = coverage_for(demo.xx500)
    by_role = {rc.role.key: rc for rc in coverage.roles}
    assert len(by_role) == 8
    assert sum(len(rc.responsibilities) for rc in coverage.roles) == 49
    assert [a.user.username for a in by_role["coc_hmis_admin"].holders] == ["cocadmin"]
    assert by_role["system_architect"].holders == []


def test_a_coc_without_administrators_is_flagged(demo):
    RoleAssignment.objects.filter(coc=demo.xx500, role__key="coc_hmis_admin").update(ends_on=TODAY)
    RoleAssignment.objects.filter(role__key="coc_governance_admin").delete()
    codes = gap_codes(coverage_for(demo.xx500))
    assert ("coc_role_missing", "coc_hmis_admin", None) in codes
    assert ("coc_role_missing", "coc_governance_admin", None) in codes
    assert ("assignment_ended", "coc_hmis_admin", None) in codes


def test_a_participating_agency_without_an_executive_is_flagged(demo):
    RoleAssignment.objects.filter(agency=demo.agency_b, role__key="agency_executive").delete()
    assert ("agency_role_missing", "agency_executive", demo.agency_b.pk) in gap_codes(
        coverage_for(demo.xx500)
    )


def test_non_participating_agencies_need_no_administrator(demo):
    # Agency D (comparable database) and E (not participating) hold no roles in the demo.
    agencies = {gap.agency_id for gap in coverage_for(demo.xx500).gaps}
    assert not agencies & {a.pk for a in demo.xx500.agencies.filter(hud_organization_id__in="DE")}


def test_an_agency_whose_only_administrator_is_inactive_is_flagged(demo):
    dqm_b = demo.user("dqm_b")
    dqm_b.is_active = False
    dqm_b.save()
    codes = gap_codes(coverage_for(demo.xx500))
    assert ("agency_admin_inactive", "agency_hmis_admin", demo.agency_b.pk) in codes
    assert ("agency_role_missing", "agency_hmis_admin", demo.agency_b.pk) not in codes


def test_an_assignment_ending_within_30_days_is_a_warning_and_later_ones_are_not(demo):
    assignment = demo.assignment("committee")
    assignment.ends_on = TODAY + datetime.timedelta(days=30)
    assignment.save()
    assert ("assignment_ending", "performance_committee", None) in gap_codes(
        coverage_for(demo.xx500)
    )
    assignment.ends_on = TODAY + datetime.timedelta(days=31)
    assignment.save()
    assert ("assignment_ending", "performance_committee", None) not in gap_codes(
        coverage_for(demo.xx500)
    )


def test_assigning_the_missing_role_closes_the_gap(demo, api_as):
    response = api_as("cocadmin").post(
        reverse("role-assignment-list"),
        {
            "user": demo.user("staff_c").pk,
            "role": Role.objects.get(key="agency_hmis_admin").pk,
            "agency": demo.agency_c.pk,
        },
        format="json",
    )
    assert response.status_code == 201
    data = api_as("cocadmin").get(reverse("coc-responsibilities", args=[demo.xx500.pk])).json()
    assert [gap["code"] for gap in data["gaps"]] == ["assignment_ending"]


def test_the_page_and_the_dashboard_show_the_gaps(demo, web_as):
    client = web_as("cocadmin")
    page = client.get(reverse("roles:responsibilities", args=[demo.xx500.pk])).content.decode()
    assert "has no designated Agency HMIS administrator" in page
    assert "Vic Tran stops being HMIS vendor" in page
    home = client.get(reverse("dashboard")).content.decode()
    assert "Compliance gaps in XX-500" in home and "has no designated" in home
    # Agency staff see their roles but not the CoC's gaps list.
    assert "Compliance gaps" not in web_as("staff_a").get(reverse("dashboard")).content.decode()


def test_the_coverage_costs_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        coverage_for(demo.xx500)
