"""What each governance record type shows and edits (see ``generic.Spec``)."""

from governance import models as m
from governance.generic import Spec

AGREEMENT = Spec(
    m.Agreement,
    fields=[
        "agency",
        "kind",
        "title",
        "authorizing_agent",
        "agency_signed_on",
        "signatory",
        "executed_on",
        "expires_on",
        "notes",
    ],
    columns=["title", "agency", "kind", "executed_on", "expires_on"],
    search=("title", "agency__name"),
    filters=["coc", "agency", "kind"],
    read_only=[
        "coc",
        "document_name",
        "document_type",
        "reminder_60_sent_on",
        "reminder_30_sent_on",
    ],
    select_related=("agency", "coc"),
)
POLICY = Spec(
    m.Policy,
    fields=["coc", "kind", "title", "owner", "requires_acknowledgement", "is_active"],
    columns=["title", "coc", "kind", "owner", "is_active"],
    search=("title",),
    filters=["coc", "kind"],
    select_related=("coc", "owner"),
)
POLICY_VERSION = Spec(
    m.PolicyVersion,
    fields=[
        "policy",
        "version",
        "summary",
        "body",
        "approved_by",
        "approved_on",
        "effective_on",
        "next_review_on",
    ],
    columns=["version", "policy", "effective_on", "next_review_on", "approved_on"],
    search=("policy__title", "version"),
    filters=["policy", "policy__coc"],
    select_related=("policy",),
)
POLICY_ACKNOWLEDGEMENT = Spec(
    m.PolicyAcknowledgement,
    fields=["version", "agency"],
    columns=["agency", "version", "acknowledged_on", "acknowledged_by"],
    search=("agency__name", "version__policy__title"),
    filters=["agency", "version"],
    read_only=["acknowledged_by", "acknowledged_on"],
    select_related=("agency", "version__policy", "acknowledged_by"),
    stamp_user="acknowledged_by",
)
ACCOUNT_REQUEST = Spec(
    m.AccountRequest,
    fields=[
        "agency",
        "username",
        "first_name",
        "last_name",
        "email",
        "job_title",
        "role",
        "justification",
        "user_agreement_signed_on",
    ],
    columns=["username", "first_name", "last_name", "agency", "status", "created"],
    search=("username", "first_name", "last_name", "email"),
    filters=["agency", "status"],
    read_only=[
        "status",
        "requested_by",
        "decided_by",
        "decided_on",
        "decision_note",
        "user",
        "activated_on",
    ],
    select_related=("agency", "role", "requested_by", "user"),
    stamp_user="requested_by",
)
RECERTIFICATION = Spec(
    m.AccountRecertification,
    fields=["user", "keep", "note"],
    columns=["user", "agency", "recertified_on", "keep", "recertified_by"],
    search=("user__username", "user__last_name"),
    filters=["agency", "coc"],
    read_only=["agency", "coc", "recertified_by", "recertified_on"],
    select_related=("user", "agency", "recertified_by"),
)
COURSE = Spec(
    m.Course,
    fields=["coc", "kind", "title", "description", "valid_months", "is_active"],
    columns=["title", "coc", "kind", "valid_months", "is_active"],
    search=("title",),
    filters=["coc", "kind"],
    select_related=("coc",),
)
TRAINING_SESSION = Spec(
    m.TrainingSession,
    fields=["course", "held_on", "location", "trainer", "notes"],
    columns=["course", "held_on", "location", "trainer"],
    search=("course__title", "location"),
    filters=["course", "course__coc"],
    select_related=("course", "trainer"),
)
CERTIFICATE = Spec(
    m.Certificate,
    fields=["user", "course", "session", "issued_on", "expires_on"],
    columns=["course", "user", "issued_on", "expires_on"],
    search=("user__username", "user__last_name", "course__title"),
    filters=["user", "course", "user__agency"],
    read_only=["recorded_by"],
    select_related=("user", "course", "recorded_by"),
    stamp_user="recorded_by",
)
CONSENT = Spec(
    m.ClientConsent,
    fields=[
        "client",
        "agency",
        "scope",
        "shared_with",
        "signed_on",
        "expires_on",
        "revoked_on",
        "note",
    ],
    columns=["id", "agency", "scope", "signed_on", "expires_on", "revoked_on"],
    search=("client__personal_id", "agency__name"),
    filters=["agency", "scope"],
    read_only=["coc", "recorded_by"],
    select_related=("agency",),
    prefetch_related=("shared_with",),
    stamp_user="recorded_by",
)
TICKET = Spec(
    m.Ticket,
    fields=["coc", "agency", "subject", "description", "queue", "priority", "status", "assignee"],
    columns=["subject", "agency", "queue", "priority", "status", "assignee", "due_at"],
    search=("subject", "description"),
    filters=["coc", "agency", "queue", "priority", "status", "assignee"],
    read_only=["opened_by", "due_at", "first_response_at", "resolved_at"],
    select_related=("coc", "agency", "assignee", "opened_by"),
    stamp_user="opened_by",
)
TICKET_COMMENT = Spec(
    m.TicketComment,
    fields=["ticket", "body"],
    columns=["ticket", "author", "created"],
    filters=["ticket"],
    read_only=["author"],
    select_related=("ticket", "author"),
    stamp_user="author",
)
COMMITTEE = Spec(
    m.Committee,
    fields=["coc", "kind", "name", "chair", "members", "charge", "is_active"],
    columns=["name", "coc", "kind", "chair", "is_active"],
    search=("name",),
    filters=["coc", "kind"],
    select_related=("coc", "chair"),
    prefetch_related=("members",),
)
MEETING = Spec(
    m.Meeting,
    fields=["committee", "held_on", "agenda", "minutes", "decisions"],
    columns=["held_on", "committee"],
    search=("agenda", "minutes", "decisions"),
    filters=["committee"],
    select_related=("committee",),
)
ACTION_ITEM = Spec(
    m.ActionItem,
    fields=["meeting", "description", "owner", "due_on", "done_on"],
    columns=["description", "meeting", "owner", "due_on", "done_on"],
    search=("description",),
    filters=["meeting", "owner", "meeting__committee"],
    select_related=("meeting__committee", "owner"),
)
PERFORMANCE_GOAL = Spec(
    m.PerformanceGoal,
    fields=["coc", "measure", "target", "direction", "year", "rationale"],
    columns=["measure", "coc", "year", "target", "direction"],
    search=("rationale",),
    filters=["coc", "measure"],
    read_only=["set_by"],
    select_related=("coc",),
    stamp_user="set_by",
)
PERFORMANCE_RESULT = Spec(
    m.PerformanceResult,
    fields=["goal", "agency", "period_end", "value", "source"],
    columns=["goal", "agency", "period_end", "value", "source"],
    filters=["goal", "agency"],
    select_related=("goal", "agency"),
)
VENDOR_CHECK = Spec(
    m.VendorCheck,
    fields=[
        "coc",
        "period",
        "source",
        "requirement",
        "result",
        "evidence",
        "finding",
        "evaluated_on",
    ],
    columns=["requirement", "period", "source", "result", "evaluated_on"],
    search=("requirement", "evidence", "finding"),
    filters=["coc", "source", "result"],
    read_only=["evaluated_by"],
    select_related=("coc",),
    stamp_user="evaluated_by",
)
OUTREACH_NOTE = Spec(
    m.OutreachNote,
    fields=["agency", "contacted_on", "note", "next_step", "next_step_on"],
    columns=["agency", "contacted_on", "next_step", "next_step_on", "contacted_by"],
    search=("note", "next_step", "agency__name"),
    filters=["agency"],
    read_only=["contacted_by"],
    select_related=("agency", "contacted_by"),
    stamp_user="contacted_by",
)
