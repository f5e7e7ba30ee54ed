"""Policies, helpdesk, committees, performance and vendor oversight: each workflow's rules."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance.demo import load as load_governance
from governance.models import (
    ActionItem,
    Course,
    Policy,
    PolicyAcknowledgement,
    PolicyVersion,
    Ticket,
)

TODAY = datetime.date.today()
D = datetime.timedelta


@pytest.fixture
def gov(demo):
    load_governance(None)
    return demo


# --- Policies -------------------------------------------------------------------------------------
def test_overdue_policy_reviews_are_shown_on_the_governance_dashboard(gov, web_as):
    html = web_as("governance").get(reverse("governance:home")).content.decode()
    assert "HMIS Policies and Procedures v2.0" in html
    assert "Data Quality Plan v1.1" not in html.split("Overdue policy reviews")[1].split("</ul>")[0]


def test_overdue_policy_reviews_are_on_the_home_page_too(gov, web_as):
    home = web_as("cocadmin").get(reverse("dashboard")).content.decode()
    assert "Policies overdue for review" in home
    assert "HMIS Policies and Procedures v2.0" in home
    assert "Policies overdue" not in web_as("cocadmin2").get(reverse("dashboard")).content.decode()


def test_the_data_quality_plan_is_a_versioned_policy_document(gov):
    plan = Policy.objects.get(coc=gov.xx500, kind="data_quality_plan")
    assert plan.current_version().version == "1.1"
    PolicyVersion.objects.create(
        policy=plan,
        version="1.2",
        approved_on=TODAY,
        effective_on=TODAY + D(days=30),
        next_review_on=TODAY + D(days=395),
    )
    assert plan.current_version().version == "1.1"  # not effective yet
    assert plan.current_version(on=TODAY + D(days=30)).version == "1.2"


def test_the_agency_executive_acknowledges_the_current_version(gov, web_as):
    privacy = Policy.objects.get(coc=gov.xx500, kind="privacy").current_version()
    url = reverse("governance:policy_acknowledge", args=[privacy.pk])
    assert web_as("dqm_a").post(url, {"agency": gov.agency_a.pk}).status_code == 403
    assert web_as("director_a").post(url, {"agency": gov.agency_b.pk}).status_code == 404
    assert web_as("director_a").post(url, {"agency": gov.agency_a.pk}).status_code == 302
    ack = PolicyAcknowledgement.objects.get(version=privacy, agency=gov.agency_a)
    assert ack.acknowledged_by == gov.user("director_a")
    page = web_as("governance").get(privacy.policy.get_absolute_url()).content.decode()
    assert "by Dana Whitfield" in page


def test_only_governance_keepers_change_policies(gov, api_as):
    policy = Policy.objects.get(coc=gov.xx500, kind="privacy")
    url = f"/api/v1/policies/{policy.pk}/"
    assert api_as("director_a").patch(url, {"title": "x"}).status_code == 403
    assert api_as("cocadmin2").patch(url, {"title": "x"}).status_code == 404
    assert api_as("governance").patch(url, {"title": "Privacy plan"}).status_code == 200


# --- Helpdesk -------------------------------------------------------------------------------------
def test_a_ticket_gets_an_sla_and_every_update_is_emailed(gov, web_as):
    mail.outbox.clear()
    response = web_as("staff_a").post(
        reverse("governance:ticket_add"),
        {
            "agency": gov.agency_a.pk,
            "subject": "Cannot log in at the shelter",
            "description": "The shelter laptop says my session expired.",
            "queue": "coc",
            "priority": "high",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(subject="Cannot log in at the shelter")
    assert ticket.opened_by == gov.user("staff_a") and ticket.coc == gov.xx500
    assert abs((ticket.due_at - ticket.created) - D(hours=24)) < D(minutes=1)
    assert mail.outbox[-1].to == ["staff_a@example.org"]

    admin = web_as("cocadmin")
    admin.post(reverse("governance:ticket_comment", args=[ticket.pk]), {"body": "Try again now."})
    assert "Try again now." in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["staff_a@example.org"]
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None

    response = admin.post(
        reverse("governance:ticket_edit", args=[ticket.pk]),
        {
            "status": "resolved",
            "priority": "high",
            "queue": "coc",
            "assignee": gov.user("cocadmin").pk,
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.resolved_at is not None
    assert "status: open → resolved" in mail.outbox[-1].body.lower()


def test_requesters_see_their_own_tickets_only(gov, web_as, api_as):
    theirs = Ticket.objects.get(subject="Cannot export the APR CSV")  # opened by dqm_a
    assert web_as("staff_a").get(theirs.get_absolute_url()).status_code == 404
    assert web_as("dqm_b").get(theirs.get_absolute_url()).status_code == 404
    mine = Ticket.objects.get(subject__startswith="Password reset")  # opened by staff_a
    assert web_as("staff_a").get(mine.get_absolute_url()).status_code == 200
    # The requester may not re-prioritise or close: that is the helpdesk's.
    assert (
        api_as("staff_a").patch(f"/api/v1/tickets/{mine.pk}/", {"status": "closed"}).status_code
        == 403
    )


def test_open_and_overdue_tickets_are_listed(gov, web_as):
    client = web_as("cocadmin")
    overdue = client.get(reverse("governance:ticket_list") + "?show=overdue").content.decode()
    assert "Duplicate client records after import" in overdue
    assert "Cannot export the APR CSV" not in overdue
    open_ = client.get(reverse("governance:ticket_list") + "?show=open").content.decode()
    assert "Cannot export the APR CSV" in open_
    assert "Password reset" not in open_


def test_raising_the_priority_shortens_the_sla(gov, api_as):
    ticket = Ticket.objects.get(subject="Cannot export the APR CSV")
    response = api_as("cocadmin").patch(f"/api/v1/tickets/{ticket.pk}/", {"priority": "urgent"})
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert abs((ticket.due_at - ticket.created) - D(hours=4)) < D(minutes=1)


# --- Committees -----------------------------------------------------------------------------------
def test_meetings_record_action_items_and_overdue_ones_are_flagged(gov, web_as):
    overdue = ActionItem.objects.get(description__startswith="Ask Agency C")
    assert overdue.is_overdue
    home = web_as("cocadmin").get(reverse("governance:home")).content.decode()
    assert "Ask Agency C to designate an HMIS administrator" in home
    response = web_as("governance").post(
        reverse("governance:action_item_edit", args=[overdue.pk]),
        {
            "meeting": overdue.meeting_id,
            "description": overdue.description,
            "owner": overdue.owner_id,
            "due_on": overdue.due_on.isoformat(),
            "done_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert not overdue.is_overdue
    # Agency staff read committee records but do not write them.
    assert (
        web_as("dqm_a").get(reverse("governance:action_item_edit", args=[overdue.pk])).status_code
        == 403
    )


# --- Performance ----------------------------------------------------------------------------------
def test_the_dashboard_shows_actual_against_target_with_trend_charts(gov, web_as):
    html = web_as("committee").get(reverse("governance:performance")).content.decode()
    assert "SPM 1: length of time homeless" in html
    assert "on target" in html and "off target" in html  # SPM 1 met, SPM 7 not
    assert 'data-chart="chart-' in html and "vendor/chart.js/chart.umd.js" in html


def test_only_the_performance_committee_sets_goals_and_results(gov, api_as):
    from governance.models import PerformanceGoal

    goal = PerformanceGoal.objects.get(coc=gov.xx500, measure="spm7")
    body = {"goal": goal.pk, "period_end": TODAY.isoformat(), "value": "41.00"}
    assert api_as("cocadmin").post("/api/v1/performance-results/", body).status_code == 403
    assert api_as("cocadmin2").post("/api/v1/performance-results/", body).status_code == 400
    assert api_as("committee").post("/api/v1/performance-results/", body).status_code == 201
    assert api_as("staff_a").get(f"/api/v1/performance-goals/{goal.pk}/").status_code == 404


# --- Vendor oversight -----------------------------------------------------------------------------
def test_the_vendor_checklist_summarises_each_period(gov, web_as):
    html = web_as("governance").get(reverse("governance:vendor_check_list")).content.decode()
    period = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"
    assert period in html
    assert "3 met" in html and "1 not_met" in html and "1 partial" in html
    assert web_as("dqm_a").get(reverse("governance:vendor_check_add")).status_code == 403


# --- Lists: a fixed number of queries -------------------------------------------------------------
@pytest.mark.parametrize(
    "endpoint",
    [
        "policies",
        "policy-versions",
        "trainings",
        "training-sessions",
        "certificates",
        "tickets",
        "committees",
        "meetings",
        "action-items",
        "performance-goals",
        "performance-results",
        "vendor-checks",
        "outreach-notes",
        "consents",
        "recertifications",
        "policy-acknowledgements",
        "ticket-comments",
    ],
)
def test_api_lists_run_a_fixed_number_of_queries(
    gov, api_as, endpoint, django_assert_max_num_queries
):
    client = api_as("cocadmin")
    with django_assert_max_num_queries(7):
        response = client.get(f"/api/v1/{endpoint}/?page_size=500")
    assert response.status_code == 200


def test_the_governance_demo_is_idempotent(gov):
    assert not any(load_governance(None, today=timezone.localdate()).values())


def test_a_course_with_sessions_is_not_deleted_and_the_api_says_why(gov, api_as):
    # schemathesis (issue 8): DELETE /trainings/{id}/ of a course with sessions was a 500
    # (ProtectedError); it answers 409 in the error shape and the course stays.
    course = Course.objects.filter(sessions__isnull=False).first()
    response = api_as("cocadmin").delete(f"/api/v1/trainings/{course.pk}/")
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == 409 and body["code"] == "in_use"
    assert "training sessions" in body["detail"]
    assert Course.objects.filter(pk=course.pk).exists()
