"""User accounts: the gate on agreement and training, activation, deactivation, 90-day flags,
annual recertification."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from governance import accounts
from governance.demo import load as load_governance
from governance.models import AccountRequest, Agreement, Certificate, Course, TaskRun
from governance.tasks import sync_accounts
from roles.models import Role, RoleAssignment, User

TODAY = datetime.date.today()
D = datetime.timedelta


@pytest.fixture
def gov(demo):
    load_governance(None)
    return demo


def new_request(demo, agency=None, username="casey_new", signed=True) -> AccountRequest:
    return AccountRequest.objects.create(
        agency=agency or demo.agency_a,
        requested_by=demo.user("dqm_a"),
        username=username,
        first_name="Casey",
        last_name="New",
        email=f"{username}@example.org",
        role=Role.objects.get(key="agency_program_staff"),
        user_agreement_signed_on=TODAY if signed else None,
    )


def certify(user, kind):
    course = Course.objects.get(coc__code="XX-500", kind=kind)
    return Certificate.objects.create(user=user, course=course, issued_on=TODAY)


def test_an_agency_without_a_current_participation_agreement_gets_no_new_accounts(gov, api_as):
    # Agency C's agreement expired in the demo.
    response = api_as("cocadmin").post(
        "/api/v1/account-requests/",
        {
            "agency": gov.agency_c.pk,
            "username": "c_new",
            "first_name": "C",
            "last_name": "New",
            "email": "c@example.org",
            "role": Role.objects.get(key="agency_program_staff").pk,
        },
    )
    assert response.status_code == 400
    assert "no current HMIS participation agreement" in str(response.json()["errors"]["agency"])


def test_the_request_page_explains_the_missing_agreement(gov, web_as):
    client = web_as("cocadmin")
    response = client.post(
        reverse("governance:account_request_add"),
        {
            "agency": gov.agency_c.pk,
            "username": "c_new",
            "first_name": "C",
            "last_name": "New",
            "email": "c@example.org",
            "role": Role.objects.get(key="agency_program_staff").pk,
        },
    )
    assert response.status_code == 200
    assert "must execute (or renew) the agreement first" in response.content.decode()
    assert not AccountRequest.objects.filter(username="c_new").exists()


def test_approval_is_refused_when_the_agreement_lapsed_after_the_request(gov):
    request = new_request(gov)
    Agreement.objects.filter(agency=gov.agency_a).update(expires_on=TODAY - D(days=1))
    with pytest.raises(ValidationError, match="participation agreement"):
        accounts.approve(request, gov.user("cocadmin"))
    request.refresh_from_db()
    assert request.status == AccountRequest.Status.REQUESTED
    assert not User.objects.filter(username="casey_new").exists()


def test_an_approved_account_stays_inactive_until_trainings_and_user_agreement(gov):
    request = new_request(gov, signed=False)
    user = accounts.approve(request, gov.user("cocadmin"), password="Harbor-light-2026")
    assert user.is_active is False
    assert RoleAssignment.objects.filter(user=user, agency=gov.agency_a).exists()
    assert accounts.missing_requirements(user) == [
        "New-user training not completed",
        "Privacy and security not completed",
        "User agreement not signed",
    ]
    certify(user, Course.Kind.NEW_USER)
    user.refresh_from_db()
    assert user.is_active is False
    certify(user, Course.Kind.PRIVACY_SECURITY)
    user.refresh_from_db()
    assert user.is_active is False  # the user agreement is still missing

    request.refresh_from_db()
    request.user_agreement_signed_on = TODAY
    request.save()
    user.refresh_from_db()
    assert user.is_active is True
    request.refresh_from_db()
    assert request.status == AccountRequest.Status.ACTIVE
    # Active now, the role's permissions apply: the new person sees Agency A.
    assert Agency.objects.restrict(user).filter(pk=gov.agency_a.pk).exists()


def test_an_expired_certificate_does_not_count(gov):
    request = new_request(gov)
    user = accounts.approve(request, gov.user("cocadmin"))
    course = Course.objects.get(coc__code="XX-500", kind=Course.Kind.NEW_USER)
    Certificate.objects.create(
        user=user, course=course, issued_on=TODAY - D(days=400), expires_on=TODAY - D(days=35)
    )
    certify(user, Course.Kind.PRIVACY_SECURITY)
    user.refresh_from_db()
    assert user.is_active is False
    assert accounts.missing_requirements(user) == ["New-user training not completed"]


def test_only_the_coc_administrator_approves(gov, api_as):
    request = new_request(gov)
    url = f"/api/v1/account-requests/{request.pk}/approve/"
    assert api_as("dqm_a").post(url, {}).status_code == 403
    assert api_as("dqm_b").post(url, {}).status_code == 404
    assert api_as("cocadmin2").post(url, {}).status_code == 404
    response = api_as("cocadmin").post(url, {})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    # A second approval is refused: the request is claimed once.
    assert api_as("cocadmin").post(url, {}).status_code == 400


def test_an_account_is_deactivated_when_its_last_role_ends(gov):
    staff = gov.user("staff_a")
    assignment = gov.assignment("staff_a")
    assignment.ends_on = TODAY
    assignment.save()
    staff.refresh_from_db()
    assert staff.is_active is False


def test_an_account_with_another_role_stays_active(gov):
    staff = gov.user("staff_a")
    RoleAssignment.objects.create(
        user=staff, role=Role.objects.get(key="agency_program_staff"), agency=gov.agency_b
    )
    assignment = RoleAssignment.objects.get(user=staff, agency=gov.agency_a)
    assignment.ends_on = TODAY
    assignment.save()
    staff.refresh_from_db()
    assert staff.is_active is True
    staff.role_assignments.exclude(pk=assignment.pk).delete()
    staff.refresh_from_db()
    assert staff.is_active is False


def test_the_hourly_sync_deactivates_accounts_whose_role_ended_by_date(gov):
    staff = gov.user("staff_a")
    # An end date reached without a save (the day simply came): only the sync notices.
    RoleAssignment.objects.filter(user=staff).update(ends_on=TODAY)
    staff.refresh_from_db()
    assert staff.is_active is True
    run = TaskRun.objects.get(pk=sync_accounts.delay().get())
    staff.refresh_from_db()
    assert staff.is_active is False
    assert run.status == "done" and "1 account(s) deactivated" in run.log
    # People who never held a role (approved, waiting for training) are not touched.
    assert User.objects.get(username="staff_c").is_active is True


def test_accounts_without_a_login_for_90_days_are_flagged_and_disabled_in_bulk(gov, web_as):
    long_ago = timezone.now() - D(days=120)
    User.objects.filter(username__in=["staff_a", "dqm_b"]).update(last_login=long_ago)
    User.objects.filter(username="director_a").update(last_login=timezone.now())
    client = web_as("dqm_a")
    page = client.get(reverse("governance:inactive_accounts")).content.decode()
    assert "staff_a" in page
    assert "dqm_b" not in page  # another agency's account
    assert "director_a" not in page  # logged in recently
    staff, dqm_b = gov.user("staff_a"), gov.user("dqm_b")
    response = client.post(reverse("governance:inactive_accounts"), {"users": [staff.pk, dqm_b.pk]})
    assert response.status_code == 302
    staff.refresh_from_db()
    dqm_b.refresh_from_db()
    assert staff.is_active is False
    assert dqm_b.is_active is True  # not dqm_a's to disable


def test_annual_recertification(gov, web_as):
    staff = gov.user("staff_a")
    User.objects.filter(pk=staff.pk).update(date_joined=timezone.now() - D(days=400))
    users = User.objects.restrict(gov.user("dqm_a"), "change")
    assert list(accounts.recertification_due(users).values_list("username", flat=True)) == [
        "staff_a"
    ]
    client = web_as("dqm_a")
    response = client.post(reverse("governance:recertify", args=[staff.pk]), {"keep": "1"})
    assert response.status_code == 302
    assert not accounts.recertification_due(users).exists()
    # A year later it is due again.
    assert accounts.recertification_due(users, on=TODAY + D(days=366)).exists()
    # dqm_b may not recertify Agency A's staff; cocadmin2 does not see them.
    assert web_as("dqm_b").get(reverse("governance:recertify", args=[staff.pk])).status_code == 404
    assert (
        web_as("cocadmin2").get(reverse("governance:recertify", args=[staff.pk])).status_code == 404
    )


def test_recertifying_with_disable_deactivates_the_account(gov):
    staff = gov.user("staff_a")
    accounts.recertify(gov.user("dqm_a"), staff, keep=False, note="Left the agency")
    staff.refresh_from_db()
    assert staff.is_active is False


def test_recording_attendance_activates_a_waiting_account(gov, web_as):
    request = new_request(gov)
    user = accounts.approve(request, gov.user("cocadmin"))
    certify(user, Course.Kind.NEW_USER)
    session = Course.objects.get(coc__code="XX-500", kind="privacy_security").sessions.first()
    response = web_as("cocadmin").post(
        reverse("governance:record_attendance", args=[session.pk]), {"user": user.pk}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is True


def test_account_request_list_runs_a_fixed_number_of_queries(
    gov, api_as, django_assert_max_num_queries
):
    for n in range(5):
        new_request(gov, username=f"bulk{n}")
    client = api_as("dqm_a")
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/account-requests/")
    assert response.json()["count"] == 6


def test_the_user_agreement_date_recorded_later_activates_the_account(gov, web_as):
    request = new_request(gov, signed=False)
    user = accounts.approve(request, gov.user("cocadmin"))
    certify(user, Course.Kind.NEW_USER)
    certify(user, Course.Kind.PRIVACY_SECURITY)
    user.refresh_from_db()
    assert not user.is_active
    response = web_as("dqm_a").post(
        reverse("governance:account_request_edit", args=[request.pk]),
        {
            "agency": gov.agency_a.pk,
            "username": request.username,
            "first_name": request.first_name,
            "last_name": request.last_name,
            "email": request.email,
            "role": request.role_id,
            "user_agreement_signed_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.is_active


def test_a_future_role_is_not_an_ended_one(gov):
    from tests.factories import UserFactory, grant

    user = UserFactory(agency=gov.agency_a)
    grant(user, "agency_program_staff", gov.agency_a, starts_on=TODAY + D(days=3))
    user.refresh_from_db()
    assert user.is_active
    assert accounts.deactivate_users_without_roles() >= 0
    user.refresh_from_db()
    assert user.is_active


def test_removing_the_last_role_deactivates_the_account(gov):
    staff = gov.user("staff_a")
    RoleAssignment.objects.filter(user=staff).delete()
    staff.refresh_from_db()
    assert staff.is_active is False
