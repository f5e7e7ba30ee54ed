"""Permission matrix rows for the governance workspace (issue 7).

Objects are Agency A's or XX-500's (from ``governance.demo``), so ``dqm_b`` and ``cocadmin2``
must get 404 wherever an object is outside their scope.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .base import Row, statuses, url

XX500_ALL = {"cocadmin": 200, "governance": 200, "committee": 200}


def gov(demo):
    """Load the governance demo once per test (idempotent, but not free)."""
    if not getattr(demo, "_governance_loaded", False):
        from governance.demo import load

        load(None)
        demo._governance_loaded = True
    return demo


def obj(model_name: str, **lookup):
    def get(demo):
        from governance import models

        gov(demo)
        return getattr(models, model_name).objects.get(**lookup).pk

    return get


agreement_a = obj("Agreement", agency__hud_organization_id="A", kind="participation")
policy = obj("Policy", title="HMIS Policies and Procedures")
dqp_version = obj("PolicyVersion", policy__kind="data_quality_plan")
account_request = obj("AccountRequest", username="jlee_a")
course = obj("Course", kind="new_user", coc__code="XX-500")
session = obj("TrainingSession", course__kind="new_user", course__coc__code="XX-500")
ticket_a = obj("Ticket", subject="Cannot export the APR CSV")
committee = obj("Committee", kind="hmis", coc__code="XX-500")
meeting = obj("Meeting", committee__kind="hmis")
action_item = obj("ActionItem", description="Ask Agency C to designate an HMIS administrator")
goal = obj("PerformanceGoal", measure="spm1")
vendor_check = obj("VendorCheck", requirement__startswith="Locks accounts")
outreach = obj("OutreachNote", agency__hud_organization_id="E")
certificate = obj("Certificate", user__username="staff_a", course__kind="new_user")
# Agency A's own result: agency people see their agency's results, not the CoC-wide ones.
result = obj("PerformanceResult", goal__measure="spm1", agency__hud_organization_id="A", value=106)


def make_client(coc, personal_id: str, first: str = "Ana", last: str = "Client", source=None):
    """A minimal hmis.Client (and its source) for consent tests."""
    from hmis.models import Client, Source

    source = (
        source
        or Source.objects.get_or_create(
            coc=coc, key="gov-test", defaults={"name": "Governance test source"}
        )[0]
    )
    now = timezone.now()
    return Client.objects.create(
        source=source,
        coc=coc,
        personal_id=personal_id,
        first_name=first,
        last_name=last,
        name_data_quality=1,
        ssn_data_quality=99,
        dob_data_quality=99,
        am_ind_ak_native=0,
        asian=0,
        black_af_american=0,
        hispanic_latinao=0,
        mid_east_n_african=0,
        native_hi_pacific=0,
        white=1,
        veteran_status=0,
        date_created=now,
        date_updated=now,
    )


def consent_a(demo) -> int:
    from governance.models import ClientConsent

    client = make_client(demo.xx500, "GOV-MATRIX-1")
    consent = ClientConsent.objects.create(
        client=client,
        agency=demo.agency_a,
        scope=ClientConsent.Scope.NONE,
        signed_on=datetime.date.today() - datetime.timedelta(days=10),
    )
    return consent.pk


def recertification_staff_a(demo) -> int:
    from governance.models import AccountRecertification

    staff = demo.user("staff_a")
    return AccountRecertification.objects.create(
        user=staff, agency=staff.agency, coc=demo.xx500, recertified_by=demo.user("dqm_a")
    ).pk


def staff_a(demo) -> int:
    return demo.user("staff_a").pk


def coc500(demo) -> int:
    return demo.xx500.pk


def agency_a(demo) -> int:
    return demo.agency_a.pk


def today() -> str:
    return datetime.date.today().isoformat()


# Who may do what, as status maps (anonymous: 302 to log in on pages, 401 on the API).
def page(default, **kw):
    return statuses(default, 302, **kw)


def api(default, **kw):
    return statuses(default, 401, **kw)


KEEPERS_ADD = {"cocadmin": 200, "governance": 200, "cocadmin2": 200}  # manage_governance
USERS_ADD = {"cocadmin": 200, "dqm_a": 200, "dqm_b": 200, "cocadmin2": 200}  # manage_users
COC_ADMIN_ADD = {"cocadmin": 200, "cocadmin2": 200}
# Readable by everybody in XX-500 (agency staff through their agency's CoC).
XX500_READ = dict(cocadmin2=404)
AGENCY_A_READ = dict(director_a=200, dqm_a=200, staff_a=200, **XX500_ALL)
KEPT_BY_GOVERNANCE = dict(cocadmin=200, governance=200, dqm_b=403, cocadmin2=404)


PAGE_ROWS = [
    Row("governance:home", "GET", url("governance:home"), page(200), api=False),
    # Agreements
    Row("governance:agreement_list", "GET", url("governance:agreement_list"), page(200), api=False),
    Row(
        "governance:agreement_add",
        "GET",
        url("governance:agreement_add"),
        page(403, **KEEPERS_ADD),
        api=False,
    ),
    Row(
        "governance:agreement",
        "GET",
        url("governance:agreement", agreement_a),
        page(404, **AGENCY_A_READ),
        api=False,
    ),
    Row(
        "governance:agreement_edit",
        "GET",
        url("governance:agreement_edit", agreement_a),
        page(403, cocadmin=200, governance=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:agreement_sign",
        "GET",
        url("governance:agreement_sign", agreement_a),
        page(403, director_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:agreement_document",
        "GET",
        url("governance:agreement_document", agreement_a),
        # Allowed, but the demo agreement has no file: 404 "no document" (see the upload tests).
        page(403, cocadmin=404, governance=404, director_a=404, dqm_b=404, cocadmin2=404),
        api=False,
        label="GET governance:agreement_document (no file on the demo agreement)",
    ),
    # Policies
    Row("governance:policy_list", "GET", url("governance:policy_list"), page(200), api=False),
    Row(
        "governance:policy_add",
        "GET",
        url("governance:policy_add"),
        page(403, **KEEPERS_ADD),
        api=False,
    ),
    Row(
        "governance:policy",
        "GET",
        url("governance:policy", policy),
        page(200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:policy_edit",
        "GET",
        url("governance:policy_edit", policy),
        page(403, cocadmin=200, governance=200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:policy_version_add",
        "GET",
        url("governance:policy_version_add"),
        page(403, **KEEPERS_ADD),
        api=False,
    ),
    Row(
        "governance:policy_acknowledge",
        "POST",
        url("governance:policy_acknowledge", dqp_version),
        page(403, cocadmin=302, governance=302, director_a=302, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"agency": demo.agency_a.pk},
        api=False,
    ),
    # Accounts
    Row(
        "governance:account_request_list",
        "GET",
        url("governance:account_request_list"),
        page(200),
        api=False,
    ),
    Row(
        "governance:account_request_add",
        "GET",
        url("governance:account_request_add"),
        page(403, **USERS_ADD),
        api=False,
    ),
    Row(
        "governance:account_request",
        "GET",
        url("governance:account_request", account_request),
        page(404, cocadmin=200, dqm_a=200),
        api=False,
    ),
    Row(
        "governance:account_request_edit",
        "GET",
        url("governance:account_request_edit", account_request),
        page(404, cocadmin=200, dqm_a=200),
        api=False,
    ),
    Row(
        "governance:account_request_decide",
        "GET",
        url("governance:account_request_decide", account_request),
        page(404, cocadmin=200, dqm_a=403),
        api=False,
    ),
    Row(
        "governance:inactive_accounts",
        "GET",
        url("governance:inactive_accounts"),
        page(403, **USERS_ADD),
        api=False,
    ),
    Row(
        "governance:recertification_list",
        "GET",
        url("governance:recertification_list"),
        page(403, **USERS_ADD),
        api=False,
    ),
    Row(
        "governance:recertify",
        "GET",
        url("governance:recertify", staff_a),
        page(403, cocadmin=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    # Training
    Row("governance:course_list", "GET", url("governance:course_list"), page(200), api=False),
    Row(
        "governance:course_add",
        "GET",
        url("governance:course_add"),
        page(403, **COC_ADMIN_ADD),
        api=False,
    ),
    Row(
        "governance:course",
        "GET",
        url("governance:course", course),
        page(200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:course_edit",
        "GET",
        url("governance:course_edit", course),
        page(403, cocadmin=200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:training_session_list",
        "GET",
        url("governance:training_session_list"),
        page(200),
        api=False,
    ),
    Row(
        "governance:training_session_add",
        "GET",
        url("governance:training_session_add"),
        page(403, **COC_ADMIN_ADD),
        api=False,
    ),
    Row(
        "governance:training_session",
        "GET",
        url("governance:training_session", session),
        page(200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:training_session_edit",
        "GET",
        url("governance:training_session_edit", session),
        page(403, cocadmin=200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:record_attendance",
        "POST",
        url("governance:record_attendance", session),
        page(403, cocadmin=302, cocadmin2=404),
        body=lambda demo: {"user": demo.user("staff_a").pk},
        api=False,
    ),
    Row(
        "governance:certificate_list",
        "GET",
        url("governance:certificate_list"),
        page(200),
        api=False,
    ),
    Row(
        "governance:certificate_add",
        "GET",
        url("governance:certificate_add"),
        page(403, **COC_ADMIN_ADD),
        api=False,
    ),
    Row("governance:training_due", "GET", url("governance:training_due"), page(200), api=False),
    # Helpdesk
    Row("governance:ticket_list", "GET", url("governance:ticket_list"), page(200), api=False),
    Row("governance:ticket_add", "GET", url("governance:ticket_add"), page(200), api=False),
    Row(
        "governance:ticket",
        "GET",
        url("governance:ticket", ticket_a),
        page(404, cocadmin=200, dqm_a=200),
        api=False,
    ),
    Row(
        "governance:ticket_edit",
        "GET",
        url("governance:ticket_edit", ticket_a),
        page(404, cocadmin=200, dqm_a=403),
        api=False,
    ),
    Row(
        "governance:ticket_comment",
        "POST",
        url("governance:ticket_comment", ticket_a),
        page(404, cocadmin=302, dqm_a=302),
        body=lambda demo: {"body": "Looking into it."},
        api=False,
    ),
    # Committees
    Row("governance:committee_list", "GET", url("governance:committee_list"), page(200), api=False),
    Row(
        "governance:committee_add",
        "GET",
        url("governance:committee_add"),
        page(403, **KEEPERS_ADD),
        api=False,
    ),
    Row(
        "governance:committee",
        "GET",
        url("governance:committee", committee),
        page(200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:committee_edit",
        "GET",
        url("governance:committee_edit", committee),
        page(403, cocadmin=200, governance=200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:meeting_add",
        "GET",
        url("governance:meeting_add"),
        page(403, **KEEPERS_ADD),
        api=False,
    ),
    Row(
        "governance:meeting",
        "GET",
        url("governance:meeting", meeting),
        page(200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:meeting_edit",
        "GET",
        url("governance:meeting_edit", meeting),
        page(403, cocadmin=200, governance=200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:action_item_list",
        "GET",
        url("governance:action_item_list"),
        page(200),
        api=False,
    ),
    Row(
        "governance:action_item_add",
        "GET",
        url("governance:action_item_add"),
        page(403, **KEEPERS_ADD),
        api=False,
    ),
    Row(
        "governance:action_item_edit",
        "GET",
        url("governance:action_item_edit", action_item),
        page(403, cocadmin=200, governance=200, cocadmin2=404),
        api=False,
    ),
    # Performance
    Row("governance:performance", "GET", url("governance:performance"), page(200), api=False),
    Row(
        "governance:performance_goal_add",
        "GET",
        url("governance:performance_goal_add"),
        page(403, committee=200),
        api=False,
    ),
    Row(
        "governance:performance_goal",
        "GET",
        url("governance:performance_goal", goal),
        page(200, staff_a=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:performance_goal_edit",
        "GET",
        url("governance:performance_goal_edit", goal),
        page(403, committee=200, staff_a=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:performance_result_add",
        "GET",
        url("governance:performance_result_add"),
        page(403, committee=200),
        api=False,
    ),
    # Vendor oversight
    Row(
        "governance:vendor_check_list",
        "GET",
        url("governance:vendor_check_list"),
        page(200),
        api=False,
    ),
    Row(
        "governance:vendor_check_add",
        "GET",
        url("governance:vendor_check_add"),
        page(403, **KEEPERS_ADD),
        api=False,
    ),
    Row(
        "governance:vendor_check",
        "GET",
        url("governance:vendor_check", vendor_check),
        page(404, **XX500_ALL),
        api=False,
    ),
    Row(
        "governance:vendor_check_edit",
        "GET",
        url("governance:vendor_check_edit", vendor_check),
        page(404, cocadmin=200, governance=200, committee=403),
        api=False,
    ),
    # Compliance
    Row(
        "governance:compliance_home",
        "GET",
        url("governance:compliance_home"),
        page(302),
        api=False,
    ),
    Row(
        "governance:compliance",
        "GET",
        url("governance:compliance", coc500),
        page(200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:compliance_letter",
        "GET",
        url("governance:compliance_letter", agency_a),
        page(404, **AGENCY_A_READ),
        api=False,
    ),
    Row(
        "governance:non_participating",
        "GET",
        url("governance:non_participating", coc500),
        page(200, cocadmin2=404),
        api=False,
    ),
    Row(
        "governance:outreach_note_add",
        "GET",
        url("governance:outreach_note_add"),
        page(403, **COC_ADMIN_ADD),
        api=False,
    ),
    Row(
        "governance:outreach_note",
        "GET",
        url("governance:outreach_note", outreach),
        page(404, cocadmin=200),
        api=False,
    ),
    # Consent
    Row("governance:consent_list", "GET", url("governance:consent_list"), page(200), api=False),
    Row(
        "governance:consent_add",
        "GET",
        url("governance:consent_add"),
        page(403, cocadmin=200, dqm_a=200, staff_a=200, dqm_b=200, cocadmin2=200),
        api=False,
    ),
    Row(
        "governance:consent",
        "GET",
        url("governance:consent", consent_a),
        page(404, cocadmin=200, dqm_a=200, staff_a=200),
        api=False,
    ),
    Row(
        "governance:consent_edit",
        "GET",
        url("governance:consent_edit", consent_a),
        page(404, cocadmin=200, dqm_a=200, staff_a=200),
        api=False,
    ),
    # Audit
    Row(
        "governance:audit",
        "GET",
        url("governance:audit"),
        page(403, cocadmin=200, governance=200, cocadmin2=200),
        api=False,
    ),
]


def api_list(basename: str) -> Row:
    return Row(f"{basename}-list", "GET", url(f"{basename}-list"), api(200))


def api_detail(basename: str, pk, **expect) -> Row:
    return Row(f"{basename}-detail", "GET", url(f"{basename}-detail", pk), api(404, **expect))


EVERYONE_IN_XX500 = dict(
    cocadmin=200,
    governance=200,
    committee=200,
    director_a=200,
    dqm_a=200,
    staff_a=200,
    dqm_b=200,
)

API_ROWS = [
    api_list("agreement"),
    api_detail("agreement", agreement_a, **AGENCY_A_READ),
    Row(
        "agreement-list",
        "POST",
        url("agreement-list"),
        api(403, cocadmin=201, governance=201, dqm_b=400, cocadmin2=400),
        body=lambda demo: {
            "agency": demo.agency_a.pk,
            "kind": "data_sharing",
            "title": "New MOU",
        },
    ),
    Row(
        "agreement-detail",
        "PATCH",
        url("agreement-detail", agreement_a),
        api(403, cocadmin=200, governance=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"notes": "Renewal under discussion."},
    ),
    Row(
        "agreement-sign",
        "POST",
        url("agreement-sign", agreement_a),
        api(403, director_a=200, dqm_b=404, cocadmin2=404),
    ),
    Row(
        "agreement-document",
        "GET",
        url("agreement-document", agreement_a),
        api(403, cocadmin=404, governance=404, director_a=404, dqm_b=404, cocadmin2=404),
        label="GET agreement-document (no file on the demo agreement)",
    ),
    api_list("policy"),
    api_detail("policy", policy, **EVERYONE_IN_XX500),
    api_list("policy-version"),
    api_detail("policy-version", dqp_version, **EVERYONE_IN_XX500),
    api_list("policy-acknowledgement"),
    api_detail(
        "policy-acknowledgement",
        obj("PolicyAcknowledgement", agency__hud_organization_id="A"),
        **AGENCY_A_READ,
    ),
    api_list("account-request"),
    api_detail("account-request", account_request, cocadmin=200, dqm_a=200),
    Row(
        "account-request-list",
        "POST",
        url("account-request-list"),
        api(403, cocadmin=201, dqm_a=201, dqm_b=400, cocadmin2=400),
        body=lambda demo: {
            "agency": gov(demo).agency_a.pk,
            "username": "newcase_a",
            "first_name": "Noor",
            "last_name": "Case",
            "email": "noor@example.org",
            "role": __import__("tests.matrix.base", fromlist=["role_id"]).role_id(
                "agency_program_staff"
            ),
        },
    ),
    Row(
        "account-request-approve",
        "POST",
        url("account-request-approve", account_request),
        api(404, cocadmin=200, dqm_a=403),
    ),
    Row(
        "account-request-reject",
        "POST",
        url("account-request-reject", account_request),
        api(404, cocadmin=200, dqm_a=403),
        body=lambda demo: {"note": "Not needed."},
    ),
    api_list("recertification"),
    api_detail("recertification", recertification_staff_a, cocadmin=200, dqm_a=200, staff_a=200),
    api_list("course"),
    api_detail("course", course, **EVERYONE_IN_XX500),
    api_list("training-session"),
    api_detail("training-session", session, **EVERYONE_IN_XX500),
    api_list("certificate"),
    api_detail("certificate", certificate, **AGENCY_A_READ),
    api_list("consent"),
    api_detail("consent", consent_a, cocadmin=200, dqm_a=200, staff_a=200),
    api_list("ticket"),
    api_detail("ticket", ticket_a, cocadmin=200, dqm_a=200),
    Row(
        "ticket-list",
        "POST",
        url("ticket-list"),
        api(201, dqm_b=400, cocadmin2=400),
        body=lambda demo: {
            "agency": demo.agency_a.pk,
            "subject": "Printer",
            "description": "The intake printer is offline.",
        },
    ),
    Row(
        "ticket-detail",
        "PATCH",
        url("ticket-detail", ticket_a),
        api(404, cocadmin=200, dqm_a=403),
        body=lambda demo: {"status": "in_progress"},
    ),
    api_list("ticket-comment"),
    Row(
        "ticket-comment-list",
        "POST",
        url("ticket-comment-list"),
        api(400, cocadmin=201, dqm_a=201),
        body=lambda demo: {"ticket": ticket_a(demo), "body": "Any news?"},
    ),
    Row(
        "ticket-comment-detail",
        "GET",
        url("ticket-comment-detail", lambda demo: _comment(demo)),
        api(404, cocadmin=200, dqm_a=200),
    ),
    api_list("committee"),
    api_detail("committee", committee, **EVERYONE_IN_XX500),
    api_list("meeting"),
    api_detail("meeting", meeting, **EVERYONE_IN_XX500),
    api_list("action-item"),
    api_detail("action-item", action_item, **EVERYONE_IN_XX500),
    api_list("performance-goal"),
    api_detail("performance-goal", goal, **{**EVERYONE_IN_XX500, "staff_a": 404}),
    Row(
        "performance-goal-list",
        "POST",
        url("performance-goal-list"),
        api(403, committee=201, cocadmin2=400),
        body=lambda demo: {
            "coc": demo.xx500.pk,
            "measure": "spm2",
            "target": "10.00",
            "direction": "at_most",
            "year": 2026,
        },
    ),
    api_list("performance-result"),
    api_detail("performance-result", result, director_a=200, dqm_a=200, **XX500_ALL),
    api_list("vendor-check"),
    api_detail("vendor-check", vendor_check, **XX500_ALL),
    api_list("outreach-note"),
    api_detail("outreach-note", outreach, cocadmin=200),
    Row("compliance-list", "GET", url("compliance-list"), api(200)),
    api_detail("compliance", coc500, **EVERYONE_IN_XX500),
    Row(
        "audit-log-list",
        "GET",
        url("audit-log-list"),
        api(403, cocadmin=200, governance=200, cocadmin2=200),
    ),
]


def _comment(demo) -> int:
    from governance.models import Ticket, TicketComment

    ticket = Ticket.objects.get(pk=ticket_a(demo))
    return TicketComment.objects.create(ticket=ticket, author=ticket.opened_by, body="Hello").pk


ROWS = PAGE_ROWS + API_ROWS


def hud_record(model, **values):
    """Create an hmis record with every required column filled with a neutral value."""
    from django.db import models as dj

    now = timezone.now()
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in values or f.name in values:
            continue
        if f.null or f.has_default() or isinstance(f, dj.ForeignKey):
            continue
        if isinstance(f, dj.DateTimeField):
            values[f.name] = now
        elif isinstance(f, dj.DateField):
            values[f.name] = now.date()
        elif isinstance(f, dj.IntegerField | dj.DecimalField):
            values[f.name] = 99
        else:
            values[f.name] = ""
    return model.objects.create(**values)


def enroll(client, agency, entry: datetime.date, key: str):
    """An open enrollment of ``client`` at a project of ``agency`` (same source)."""
    from hmis.models import Enrollment, Organization
    from hmis.models import Project as HudProject

    org = Organization.objects.filter(source=client.source, agency=agency).first() or hud_record(
        Organization,
        source=client.source,
        coc=client.coc,
        agency=agency,
        organization_id=f"O-{agency.pk}",
    )
    project = HudProject.objects.filter(source=client.source, agency=agency).first() or hud_record(
        HudProject,
        source=client.source,
        coc=client.coc,
        organization=org,
        agency=agency,
        project_id=f"P-{agency.pk}",
    )
    return hud_record(
        Enrollment,
        source=client.source,
        coc=client.coc,
        client=client,
        project=project,
        agency=agency,
        enrollment_id=key,
        personal_id=client.personal_id,
        entry_date=entry,
    )
