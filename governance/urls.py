from django.urls import path

from . import views as v

app_name = "governance"


def crud(prefix: str, url: str, views: dict, **overrides) -> list:
    """list, add, detail and edit routes for one record type."""
    chosen = {**views, **overrides}
    return [
        path(f"{url}/", chosen["list"].as_view(), name=f"{prefix}_list"),
        path(f"{url}/add/", chosen["add"].as_view(), name=f"{prefix}_add"),
        path(f"{url}/<int:pk>/", chosen["detail"].as_view(), name=prefix),
        path(f"{url}/<int:pk>/edit/", chosen["edit"].as_view(), name=f"{prefix}_edit"),
    ]


urlpatterns = [
    path("", v.HomeView.as_view(), name="home"),
    # Agreements
    *crud("agreement", "agreements", v.AGREEMENT, detail=v.AgreementDetailView),
    path("agreements/<int:pk>/sign/", v.AgreementSignView.as_view(), name="agreement_sign"),
    path(
        "agreements/<int:pk>/document/",
        v.AgreementDocumentView.as_view(),
        name="agreement_document",
    ),
    # Policies
    *crud("policy", "policies", v.POLICY, detail=v.PolicyDetailView),
    path("policies/versions/add/", v.PolicyVersionCreateView.as_view(), name="policy_version_add"),
    path(
        "policies/versions/<int:pk>/acknowledge/",
        v.PolicyAcknowledgeView.as_view(),
        name="policy_acknowledge",
    ),
    # Accounts
    *crud("account_request", "account-requests", v.ACCOUNT, detail=v.AccountRequestDetailView),
    path(
        "account-requests/<int:pk>/decide/",
        v.AccountRequestDecideView.as_view(),
        name="account_request_decide",
    ),
    path("accounts/inactive/", v.InactiveAccountsView.as_view(), name="inactive_accounts"),
    path(
        "accounts/recertification/",
        v.RecertificationListView.as_view(),
        name="recertification_list",
    ),
    path("accounts/<int:pk>/recertify/", v.RecertifyView.as_view(), name="recertify"),
    # Training
    *crud("course", "courses", v.COURSE, detail=v.CourseDetailView),
    *crud("training_session", "training-sessions", v.SESSION, detail=v.TrainingSessionDetailView),
    path(
        "training-sessions/<int:pk>/attendance/",
        v.RecordAttendanceView.as_view(),
        name="record_attendance",
    ),
    path("certificates/", v.CERTIFICATE["list"].as_view(), name="certificate_list"),
    path("certificates/add/", v.CERTIFICATE["add"].as_view(), name="certificate_add"),
    path("training/due/", v.TrainingDueView.as_view(), name="training_due"),
    # Helpdesk
    *crud(
        "ticket",
        "tickets",
        v.TICKET,
        list=v.TicketListView,
        add=v.TicketCreateView,
        detail=v.TicketDetailView,
        edit=v.TicketUpdateView,
    ),
    path("tickets/<int:pk>/comment/", v.TicketCommentView.as_view(), name="ticket_comment"),
    # Committees
    *crud("committee", "committees", v.COMMITTEE, detail=v.CommitteeDetailView),
    path("meetings/add/", v.MeetingCreateView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", v.MeetingDetailView.as_view(), name="meeting"),
    path("meetings/<int:pk>/edit/", v.MEETING["edit"].as_view(), name="meeting_edit"),
    path("action-items/", v.ACTION_ITEM["list"].as_view(), name="action_item_list"),
    path("action-items/add/", v.ActionItemCreateView.as_view(), name="action_item_add"),
    path("action-items/<int:pk>/edit/", v.ACTION_ITEM["edit"].as_view(), name="action_item_edit"),
    # Performance
    path("performance/", v.PerformanceDashboardView.as_view(), name="performance"),
    path("performance/goals/add/", v.GOAL["add"].as_view(), name="performance_goal_add"),
    path(
        "performance/goals/<int:pk>/",
        v.PerformanceGoalDetailView.as_view(),
        name="performance_goal",
    ),
    path(
        "performance/goals/<int:pk>/edit/",
        v.GOAL["edit"].as_view(),
        name="performance_goal_edit",
    ),
    path(
        "performance/results/add/",
        v.PerformanceResultCreateView.as_view(),
        name="performance_result_add",
    ),
    # Vendor oversight
    *crud("vendor_check", "vendor-checks", v.VENDOR, list=v.VendorCheckListView),
    # Compliance
    path("compliance/", v.ComplianceHomeView.as_view(), name="compliance_home"),
    path("compliance/<int:pk>/", v.ComplianceView.as_view(), name="compliance"),
    path(
        "compliance/agency/<int:pk>/letter/",
        v.ComplianceLetterView.as_view(),
        name="compliance_letter",
    ),
    path(
        "compliance/<int:pk>/non-participating/",
        v.NonParticipatingView.as_view(),
        name="non_participating",
    ),
    path("outreach/add/", v.OutreachNoteCreateView.as_view(), name="outreach_note_add"),
    path("outreach/<int:pk>/", v.OUTREACH["detail"].as_view(), name="outreach_note"),
    # Consent
    *crud("consent", "consents", v.CONSENT),
    # Audit
    path("audit/", v.AuditView.as_view(), name="audit"),
]
