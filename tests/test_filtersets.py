"""The filtersets shared by the UI lists and the API."""

from django.test import RequestFactory
from django.utils import timezone

from agencies.filtersets import AgencyFilterSet, ContinuumOfCareFilterSet, ProjectFilterSet
from agencies.models import Agency, ContinuumOfCare, Project
from hmis.codes import HMISParticipationType, ProjectType
from roles.filtersets import RoleAssignmentFilterSet, RoleFilterSet, UserFilterSet
from roles.models import Role, RoleAssignment, User


def filtered(filterset_class, queryset, user, **params):
    request = RequestFactory().get("/", params)
    request.user = user
    filterset = filterset_class(params, queryset=queryset, request=request)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def test_coc_filterset_searches_code_and_name(demo):
    admin = demo.user("cocadmin")
    assert [
        c.code
        for c in filtered(
            ContinuumOfCareFilterSet, ContinuumOfCare.objects.all(), admin, q="balance"
        )
    ] == ["XX-501"]


def test_agency_filterset_by_participation_and_vsp(demo):
    admin = demo.user("cocadmin")
    qs = Agency.objects.restrict(admin)
    vsp = filtered(AgencyFilterSet, qs, admin, victim_service_provider="true")
    assert [a.hud_organization_id for a in vsp] == ["D"]
    comparable = filtered(
        AgencyFilterSet, qs, admin, participation_status=HMISParticipationType.COMPARABLE_DATABASE
    )
    assert [a.hud_organization_id for a in comparable] == ["D"]


def test_project_filterset_by_type_agency_and_coc(demo):
    admin = demo.user("cocadmin")
    qs = Project.objects.restrict(admin)
    shelters = filtered(
        ProjectFilterSet,
        qs,
        admin,
        project_type=[ProjectType.ES_ENTRY_EXIT, ProjectType.ES_NIGHT_BY_NIGHT],
        agency=demo.agency_a.pk,
    )
    assert sorted(p.hud_project_id for p in shelters) == ["A-ES1", "A-NBN"]
    assert filtered(ProjectFilterSet, qs, admin, coc=demo.xx500.pk).count() == 10
    assert filtered(ProjectFilterSet, qs, admin, q="bridgeway").count() == 3


def test_user_filterset_by_agency_and_search(demo):
    admin = demo.user("cocadmin")
    qs = User.objects.restrict(admin)
    assert {u.username for u in filtered(UserFilterSet, qs, admin, agency=demo.agency_a.pk)} == {
        "director_a",
        "dqm_a",
        "staff_a",
    }
    assert [u.username for u in filtered(UserFilterSet, qs, admin, q="Baptiste")] == ["dqm_b"]


def test_role_filterset_by_scope_type(demo):
    roles = filtered(RoleFilterSet, Role.objects.all(), demo.user("dqm_a"), scope_type="agency")
    assert [r.key for r in roles] == [
        "agency_executive",
        "agency_hmis_admin",
        "agency_program_staff",
    ]


def test_assignment_filterset_by_coc_role_and_force(demo):
    admin = demo.user("cocadmin")
    qs = RoleAssignment.objects.restrict(admin)
    in_coc = filtered(RoleAssignmentFilterSet, qs, admin, coc=demo.xx500.pk)
    assert in_coc.count() == 10  # CoC-level and agency-level assignments of XX-500
    vendor = demo.assignment("vendor")
    vendor.ends_on = timezone.localdate()
    vendor.save()
    ended = filtered(RoleAssignmentFilterSet, qs, admin, active="false")
    assert [a.user.username for a in ended] == ["vendor"]
    admins = filtered(RoleAssignmentFilterSet, qs, admin, role_key="agency_hmis_admin")
    assert {a.user.username for a in admins} == {"dqm_a", "dqm_b"}
