"""Role assignments grant guardian permissions while in force, and nothing else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms

from agencies.models import Agency, Project
from roles.grants import can_assign, sync_permissions
from roles.models import Role, RoleAssignment
from roles.tasks import sync_role_assignments
from tests.factories import AgencyFactory, ProjectFactory, UserFactory, grant

TODAY = timezone.localdate()


@pytest.fixture
def agency(db):
    return AgencyFactory()


def test_an_assignment_grants_the_roles_permissions_on_its_scope(agency):
    user = UserFactory(agency=agency)
    assert Agency.objects.restrict(user).count() == 0

    grant(user, "agency_hmis_admin", agency)

    assert set(get_perms(user, agency)) == set(
        Role.objects.get(key="agency_hmis_admin").permissions.values_list("codename", flat=True)
    )
    assert list(Agency.objects.restrict(user)) == [agency]
    assert list(Agency.objects.restrict(user, "change")) == []  # admins do not edit the agency


def test_removing_an_assignment_revokes_access_at_once(agency):
    user = UserFactory(agency=agency)
    assignment = grant(user, "agency_program_staff", agency)
    ProjectFactory(agency=agency)
    assert Project.objects.restrict(user).count() == 1

    assignment.delete()

    assert get_perms(user, agency) == []
    assert Project.objects.restrict(user).count() == 0


def test_ending_an_assignment_today_removes_access_at_once(demo, api_as):
    assignment = demo.assignment("staff_a")
    staff = demo.user("staff_a")
    assert Project.objects.restrict(staff).filter(agency=demo.agency_a).exists()

    response = api_as("dqm_a").post(reverse("role-assignment-end", args=[assignment.pk]))

    assert response.status_code == 200
    assert response.json()["ends_on"] == TODAY.isoformat()
    assert response.json()["is_active"] is False
    assert not Project.objects.restrict(staff).exists()
    assert (
        api_as("staff_a").get(reverse("agency-detail", args=[demo.agency_a.pk])).status_code == 404
    )


def test_overlapping_roles_keep_the_permission_the_other_still_gives(agency):
    user = UserFactory(agency=agency)
    staff = grant(user, "agency_program_staff", agency)
    grant(user, "agency_hmis_admin", agency)

    staff.delete()

    assert "view_client_pii" in get_perms(user, agency)  # still given by the admin role
    assert "review_data_quality" in get_perms(user, agency)


def test_a_future_assignment_grants_nothing_until_its_start(agency):
    user = UserFactory(agency=agency)
    starts = TODAY + datetime.timedelta(days=3)
    grant(user, "agency_program_staff", agency, starts_on=starts)
    assert get_perms(user, agency) == []

    sync_permissions(on=starts)  # what the hourly task does on that day

    assert "view_agency" in get_perms(user, agency)


def test_an_assignment_expires_on_its_end_date_with_the_hourly_sync(agency):
    user = UserFactory(agency=agency)
    ends = TODAY + datetime.timedelta(days=5)
    grant(user, "agency_program_staff", agency, ends_on=ends)
    assert "view_agency" in get_perms(user, agency)

    sync_permissions(on=ends - datetime.timedelta(days=1))
    assert "view_agency" in get_perms(user, agency)
    sync_permissions(on=ends)
    assert get_perms(user, agency) == []


def test_the_hourly_task_applies_dates_for_everybody(agency):
    users = [UserFactory(agency=agency) for _ in range(3)]
    for user in users:
        grant(user, "agency_program_staff", agency)
    RoleAssignment.objects.update(ends_on=TODAY)  # a bulk update sends no signal

    changed = sync_role_assignments.delay().get()

    # Three people lose every permission of the role (one row per person and permission).
    assert changed == 3 * Role.objects.get(key="agency_program_staff").permissions.count()
    assert all(get_perms(user, agency) == [] for user in users)


def test_a_deactivated_account_loses_its_permissions(agency):
    user = UserFactory(agency=agency)
    grant(user, "agency_program_staff", agency)
    user.is_active = False
    user.save()
    assert get_perms(user, agency) == []
    user.is_active = True
    user.save()
    assert "view_agency" in get_perms(user, agency)


def test_every_change_to_an_assignment_is_kept_in_the_history(demo, api_as):
    created = api_as("cocadmin").post(
        reverse("role-assignment-list"),
        {
            "user": demo.user("staff_c").pk,
            "role": Role.objects.get(key="agency_hmis_admin").pk,
            "agency": demo.agency_c.pk,
            "note": "Designated by the CoC",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    api_as("cocadmin").patch(
        reverse("role-assignment-detail", args=[pk]), {"note": "Covers intake"}, format="json"
    )
    api_as("cocadmin").post(reverse("role-assignment-end", args=[pk]))
    api_as("cocadmin").delete(reverse("role-assignment-detail", args=[pk]))

    history = RoleAssignment.history.filter(id=pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~", "~", "-"]
    assert {h.history_user.username for h in history} == {"cocadmin"}
    assert history[2].ends_on == TODAY and history[2].history_change_reason == "ended"
    assert created.json()["assigned_by"] == demo.user("cocadmin").pk


def test_the_history_is_shown_on_the_assignment_page(demo, web_as):
    assignment = demo.assignment("staff_a")
    assignment.note = "Moved to the night shift"
    assignment.save()
    page = web_as("cocadmin").get(reverse("roles:assignment", args=[assignment.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("<tr>") >= 3  # header + created + changed


class TestWhoMayAssignWhat:
    """The seed: the CoC HMIS administrator sets up agency administrators and key users, an agency
    executive designates the agency's HMIS administrator, and the agency HMIS administrator is
    the authorized agent for the agency's user accounts."""

    @pytest.mark.parametrize(
        ("username", "role", "scope", "allowed"),
        [
            ("cocadmin", "agency_hmis_admin", "agency_a", True),
            ("cocadmin", "agency_executive", "agency_a", True),
            ("cocadmin", "coc_governance_admin", "xx500", True),
            ("cocadmin", "performance_committee", "xx500", True),
            ("director_a", "agency_hmis_admin", "agency_a", True),
            ("director_a", "agency_program_staff", "agency_a", True),
            ("director_a", "agency_executive", "agency_a", False),
            ("dqm_a", "agency_program_staff", "agency_a", True),
            ("dqm_a", "agency_hmis_admin", "agency_a", False),
            ("dqm_a", "agency_program_staff", "agency_b", False),
            ("staff_a", "agency_program_staff", "agency_a", False),
            ("governance", "agency_hmis_admin", "agency_a", False),
            ("cocadmin2", "agency_hmis_admin", "agency_a", False),
            ("cocadmin", "agency_hmis_admin", "xx500", False),  # wrong kind of scope
        ],
    )
    def test_can_assign(self, demo, username, role, scope, allowed):
        target = getattr(demo, scope)
        assert can_assign(demo.user(username), Role.objects.get(key=role), target) is allowed

    def test_the_form_explains_who_assigns_a_role(self, demo, web_as):
        response = web_as("dqm_a").post(
            reverse("roles:assignment_add"),
            {
                "user": demo.user("staff_a").pk,
                "role": Role.objects.get(key="agency_hmis_admin").pk,
                "agency": demo.agency_a.pk,
                "starts_on": TODAY.isoformat(),
            },
        )
        assert response.status_code == 200
        assert "It is assigned by: CoC HMIS administrator, Agency executive (ED/CEO)." in (
            response.content.decode()
        )

    def test_a_role_must_be_held_on_its_kind_of_scope(self, demo, api_as):
        response = api_as("cocadmin").post(
            reverse("role-assignment-list"),
            {
                "user": demo.user("staff_c").pk,
                "role": Role.objects.get(key="agency_hmis_admin").pk,
                "coc": demo.xx500.pk,
            },
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["errors"]["agency"] == [
            "Agency HMIS administrator / data-quality manager is held on an agency: choose the "
            "agency."
        ]


def test_the_catalogue_has_one_role_per_row_group_of_the_seed(db):
    assert list(Role.objects.values_list("key", "scope_type")) == [
        ("system_architect", "coc"),
        ("hmis_vendor", "coc"),
        ("coc_hmis_admin", "coc"),
        ("coc_governance_admin", "coc"),
        ("agency_executive", "agency"),
        ("agency_hmis_admin", "agency"),
        ("agency_program_staff", "agency"),
        ("performance_committee", "coc"),
    ]
    admin = Role.objects.get(key="agency_hmis_admin")
    assert admin.responsibilities.filter(
        text__icontains="Verify the accuracy of PIT and HIC"
    ).exists()
