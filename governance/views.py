"""Governance pages. Every view is a restricted base view (``hmis_gov.mixins``)."""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from agencies.models import Agency, ContinuumOfCare
from governance import accounts as account_rules
from governance import audit, compliance, helpdesk, specs
from governance.forms import (
    AccountRequestForm,
    AgreementForm,
    AttendanceForm,
    ClientConsentForm,
    CommentForm,
    DecisionForm,
    RecertifyForm,
    TicketForm,
    TicketUpdateForm,
)
from governance.generic import SpecFormMixin, build_form, build_views, display_rows
from governance.models import (
    AccountRequest,
    ActionItem,
    Agreement,
    Certificate,
    Course,
    Meeting,
    OutreachNote,
    PerformanceGoal,
    PerformanceResult,
    Policy,
    PolicyAcknowledgement,
    PolicyVersion,
    Ticket,
    TrainingSession,
)
from governance.uploads import CONTENT_TYPES
from hmis_gov import mixins
from roles.models import User
from roles.querysets import coc_ids_with, may_anywhere


class SpecDetailMixin:
    """Detail pages show the spec's fields, then an optional per-model section."""

    spec = None
    edit_url_name = None
    extra_template = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        names = [*self.spec.fields, *[n for n in self.spec.read_only if n not in ("coc",)]]
        context["rows"] = display_rows(self.object, names)
        context["edit_url_name"] = self.edit_url_name
        context["model_meta"] = self.object._meta
        context["extra_template"] = self.extra_template
        return context


def detail_base(extra_template: str | None = None, base=mixins.ObjectDetailView):
    return type("SpecDetail", (SpecDetailMixin, base), {"extra_template": extra_template})


def post_redirect(obj, message: str, request, level=messages.success):
    level(request, message)
    return HttpResponseRedirect(obj.get_absolute_url())


# --- Home ---------------------------------------------------------------------------------------
class HomeView(mixins.RestrictedQuerysetMixin, generic.TemplateView):
    """The governance dashboard: what is overdue or due soon, in the user's scope."""

    model = Policy
    template_name = "governance/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        soon = today + datetime.timedelta(days=60)
        context["overdue_reviews"] = (
            PolicyVersion.objects.restrict(user)
            .filter(policy__is_active=True, next_review_on__lt=today)
            .select_related("policy")
            .order_by("next_review_on")
        )
        context["agreements_due"] = (
            Agreement.objects.restrict(user)
            .filter(expires_on__isnull=False, expires_on__lte=soon)
            .select_related("agency")
            .order_by("expires_on")
        )
        tickets = Ticket.objects.restrict(user).filter(status__in=Ticket.OPEN_STATUSES)
        context["open_tickets"] = tickets.count()
        context["overdue_tickets"] = helpdesk.overdue(tickets).count()
        context["pending_requests"] = (
            AccountRequest.objects.restrict(user)
            .filter(status__in=[AccountRequest.Status.REQUESTED, AccountRequest.Status.APPROVED])
            .select_related("agency")
        )
        context["overdue_actions"] = (
            ActionItem.objects.restrict(user)
            .filter(done_on__isnull=True, due_on__lt=today)
            .select_related("owner", "meeting__committee")
        )
        context["cocs"] = ContinuumOfCare.objects.restrict(user).filter(is_active=True)
        return context


# --- Agreements ---------------------------------------------------------------------------------
AGREEMENT = build_views(
    specs.AGREEMENT,
    "agreement",
    form=AgreementForm,
    detail_base=detail_base("governance/_agreement.html"),
)


class AgreementDetailView(AGREEMENT["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, pk = self.request.user, self.object.pk
        context["can_sign"] = Agreement.objects.restrict(user, "sign").filter(pk=pk).exists()
        context["can_download"] = (
            bool(self.object.document)
            and Agreement.objects.restrict(user, "download").filter(pk=pk).exists()
        )
        return context


class AgreementSignView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """The agency executive signs as authorizing agent (POST); GET shows the confirmation."""

    model = Agreement
    action = "sign"
    template_name = "governance/agreement_sign.html"

    def post(self, request, *args, **kwargs):
        agreement = self.get_object()
        agreement.authorizing_agent = request.user
        agreement.agency_signed_on = timezone.localdate()
        agreement.save()
        return post_redirect(agreement, "Signed for the agency.", request)


class AgreementDocumentView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """Streams the signed copy to its keepers and the agency's authorizing agent only."""

    model = Agreement
    action = "download"

    def get(self, request, *args, **kwargs):
        agreement = self.get_object()
        if not agreement.document:
            raise Http404("No signed document on file.")
        try:
            handle = agreement.document.open("rb")
        except FileNotFoundError as exc:
            raise Http404("The signed document is missing from storage.") from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=agreement.document_name or "agreement",
            content_type=CONTENT_TYPES.get(agreement.document_type, "application/octet-stream"),
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# --- Policies -----------------------------------------------------------------------------------
POLICY = build_views(specs.POLICY, "policy", detail_base=detail_base("governance/_policy.html"))


class PolicyDetailView(POLICY["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, policy = self.request.user, self.object
        versions = list(
            PolicyVersion.objects.restrict(user).filter(policy=policy).select_related("approved_by")
        )
        current = policy.current_version()
        context["versions"] = versions
        context["current"] = current
        context["can_add_version"] = context["can_change"]
        if current is not None:
            acks = PolicyAcknowledgement.objects.restrict(user).filter(version=current)
            acked = {a.agency_id: a for a in acks.select_related("acknowledged_by")}
            agencies = compliance.participating(Agency.objects.restrict(user)).filter(
                coc=policy.coc_id
            )
            context["ack_rows"] = [(agency, acked.get(agency.pk)) for agency in agencies]
            may_ack = (
                set(
                    Agency.objects.restrict(user)
                    .filter(
                        Q(pk__in=_agency_ids(user, "sign_agreements"))
                        | Q(coc__in=coc_ids_with(user, "manage_governance"))
                    )
                    .values_list("pk", flat=True)
                )
                if not user.is_superuser
                else {a.pk for a in agencies}
            )
            context["may_ack"] = may_ack
        return context


def _agency_ids(user, codename):
    from roles.querysets import agency_ids_with

    return agency_ids_with(user, codename)


class PolicyVersionCreateView(SpecFormMixin, mixins.ObjectCreateView):
    model = PolicyVersion
    spec = specs.POLICY_VERSION
    form_class = build_form(specs.POLICY_VERSION)

    def get_initial(self):
        return {"policy": self.request.GET.get("policy")}


class PolicyAcknowledgeView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """POST: the agency (executive, or the CoC for it) acknowledges the current version."""

    model = PolicyVersion
    action = "view"

    def post(self, request, *args, **kwargs):
        version = self.get_object()
        agency = get_object_or_404(
            Agency.objects.restrict(request.user), pk=request.POST.get("agency")
        )
        ack, created = PolicyAcknowledgement.objects.get_or_create(
            version=version, agency=agency, defaults={"acknowledged_by": request.user}
        )
        if (
            not PolicyAcknowledgement.objects.restrict(request.user, "add")
            .filter(pk=ack.pk)
            .exists()
        ):
            ack.delete() if created else None
            raise PermissionDenied(f"You may not acknowledge policies for {agency}.")
        messages.success(request, f"{agency} acknowledged {version}.")
        return HttpResponseRedirect(version.policy.get_absolute_url())

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.get_object().policy.get_absolute_url())


# --- Accounts -----------------------------------------------------------------------------------
ACCOUNT = build_views(
    specs.ACCOUNT_REQUEST,
    "account_request",
    form=AccountRequestForm,
    detail_base=detail_base("governance/_account_request.html"),
)


class AccountRequestDetailView(ACCOUNT["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        context["can_decide"] = (
            obj.status == AccountRequest.Status.REQUESTED
            and AccountRequest.objects.restrict(user, "approve").filter(pk=obj.pk).exists()
        )
        context["decision_form"] = DecisionForm(request_obj=obj)
        if obj.user_id:
            context["missing"] = account_rules.missing_requirements(obj.user)
            context["certificates"] = Certificate.objects.restrict(user).filter(user=obj.user_id)
        return context


class AccountRequestDecideView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """The CoC HMIS administrator approves (creating the inactive account) or rejects."""

    model = AccountRequest
    action = "approve"
    template_name = "governance/accountrequest_decide.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or DecisionForm(request_obj=self.object)
        return context

    def post(self, request, *args, **kwargs):
        self.object = obj = self.get_object()
        form = DecisionForm(request.POST, request_obj=obj)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    user = account_rules.approve(
                        obj, request.user, form.cleaned_data["password"], form.cleaned_data["note"]
                    )
                    state = (
                        "active"
                        if user.is_active
                        else "inactive until trainings and the user agreement are recorded"
                    )
                    messages.success(
                        request, f"Approved: account {user.username} created, {state}."
                    )
                else:
                    account_rules.reject(obj, request.user, form.cleaned_data["note"])
                    messages.success(request, "Rejected.")
                return HttpResponseRedirect(obj.get_absolute_url())
            except ValidationError as exc:
                form.add_error(None, exc)
        return self.render_to_response(self.get_context_data(form=form))


class AccountAdminMixin:
    """Pages for those who manage accounts (CoC or agency HMIS administrators): 403 for others."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_anywhere(request.user, User, "change"):
            raise PermissionDenied("Only HMIS administrators manage accounts.")
        return super().dispatch(request, *args, **kwargs)


class InactiveAccountsView(AccountAdminMixin, mixins.RestrictedQuerysetMixin, generic.ListView):
    """Accounts without a log-in for 90 days; administrators disable them in bulk."""

    model = User
    template_name = "governance/inactive_accounts.html"
    paginate_by = 100

    def get_queryset(self):
        users = User.objects.restrict(self.request.user, "change").select_related("agency", "coc")
        return account_rules.inactive_logins(users).order_by("last_login", "username")

    def post(self, request, *args, **kwargs):
        chosen = [int(i) for i in request.POST.getlist("users") if i.isdigit()]
        # Only flagged accounts the user may change; anything else posted is ignored.
        ids = list(self.get_queryset().filter(pk__in=chosen).values_list("pk", flat=True))
        if not ids:
            messages.error(request, "Choose at least one flagged account you may disable.")
        else:
            count = account_rules.bulk_disable(request.user, ids)
            messages.success(request, f"Disabled {count} account(s).")
        return HttpResponseRedirect(reverse("governance:inactive_accounts"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["days"] = account_rules.INACTIVITY_DAYS
        return context


class RecertificationListView(AccountAdminMixin, mixins.RestrictedQuerysetMixin, generic.ListView):
    """Accounts due for their yearly recertification, and the decisions made."""

    model = User
    template_name = "governance/recertification_list.html"
    paginate_by = 100

    def get_queryset(self):
        users = User.objects.restrict(self.request.user, "change").select_related("agency", "coc")
        return account_rules.recertification_due(users).order_by("agency__name", "username")

    def get_context_data(self, **kwargs):
        from governance.models import AccountRecertification

        context = super().get_context_data(**kwargs)
        context["recent"] = AccountRecertification.objects.restrict(
            self.request.user
        ).select_related("user", "recertified_by")[:50]
        context["form"] = RecertifyForm()
        return context


class RecertifyView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    model = User
    action = "change"
    template_name = "governance/recertify.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or RecertifyForm()
        return context

    def post(self, request, *args, **kwargs):
        self.object = person = self.get_object()
        form = RecertifyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        account_rules.recertify(
            request.user, person, form.cleaned_data["keep"], form.cleaned_data["note"]
        )
        messages.success(request, f"Recertification of {person.username} recorded.")
        return HttpResponseRedirect(reverse("governance:recertification_list"))


# --- Training -----------------------------------------------------------------------------------
COURSE = build_views(specs.COURSE, "course", detail_base=detail_base("governance/_course.html"))


class CourseDetailView(COURSE["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sessions"] = TrainingSession.objects.restrict(self.request.user).filter(
            course=self.object
        )
        return context


SESSION = build_views(
    specs.TRAINING_SESSION,
    "training_session",
    detail_base=detail_base("governance/_training_session.html"),
)


class TrainingSessionDetailView(SESSION["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["attendees"] = (
            Certificate.objects.restrict(user).filter(session=self.object).select_related("user")
        )
        context["can_record"] = may_anywhere(user, Certificate, "add")
        context["attendance_form"] = kwargs.get("attendance_form") or AttendanceForm(user=user)
        return context


class RecordAttendanceView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """POST a person who attended: issues their certificate (and may activate their account)."""

    model = TrainingSession
    action = "change"
    template_name = "governance/object_detail.html"

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.get_object().get_absolute_url())

    def post(self, request, *args, **kwargs):
        session = self.get_object()
        form = AttendanceForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, "Choose a person you may see.")
            return HttpResponseRedirect(session.get_absolute_url())
        person = form.cleaned_data["user"]
        Certificate.objects.get_or_create(
            user=person,
            course=session.course,
            issued_on=session.held_on,
            defaults={"session": session, "recorded_by": request.user},
        )
        person.refresh_from_db()
        note = " Their account is now active." if person.is_active else ""
        messages.success(request, f"Recorded {person.username} as trained.{note}")
        return HttpResponseRedirect(session.get_absolute_url())


CERTIFICATE = build_views(specs.CERTIFICATE, "certificate")


class TrainingDueView(mixins.RestrictedQuerysetMixin, generic.TemplateView):
    """Who on the staff is due a required course: for executives and administrators."""

    model = Certificate
    template_name = "governance/training_due.html"

    def get_context_data(self, **kwargs):
        from roles.querysets import agency_ids_with

        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        soon = today + datetime.timedelta(days=30)
        staff = User.objects.restrict(user).filter(is_active=True, agency__isnull=False)
        if not user.is_superuser:
            staff = staff.filter(
                Q(agency__in=agency_ids_with(user, "assign_roles"))
                | Q(agency__coc__in=coc_ids_with(user, "view_continuumofcare"))
            )
        staff = list(staff.select_related("agency").order_by("agency__name", "last_name"))
        certs = {}
        for user_id, kind, expires in (
            Certificate.objects.current(today)
            .filter(user__in=[s.pk for s in staff], course__kind__in=Course.REQUIRED_FOR_ACCESS)
            .values_list("user_id", "course__kind", "expires_on")
        ):
            best = certs.get((user_id, kind))
            if best is None or (expires and best and expires > best):
                certs[(user_id, kind)] = expires
        rows = []
        for person in staff:
            cells = []
            for kind in Course.REQUIRED_FOR_ACCESS:
                key = (person.pk, kind)
                if key not in certs:
                    cells.append(("due", "missing"))
                elif certs[key] and certs[key] <= soon:
                    cells.append(("soon", f"expires {certs[key]:%Y-%m-%d}"))
                else:
                    cells.append(("ok", "current"))
            rows.append((person, cells))
        context["kinds"] = [Course.Kind(k).label for k in Course.REQUIRED_FOR_ACCESS]
        context["rows"] = rows
        return context


# --- Helpdesk -----------------------------------------------------------------------------------
TICKET = build_views(
    specs.TICKET,
    "ticket",
    form=TicketForm,
    detail_base=detail_base("governance/_ticket.html"),
)


class TicketListView(TICKET["list"]):
    template_name = "governance/ticket_list.html"

    def get_queryset(self):
        qs = super().get_queryset()
        view = self.request.GET.get("show")
        if view == "open":
            qs = qs.filter(status__in=Ticket.OPEN_STATUSES)
        elif view == "overdue":
            qs = helpdesk.overdue(qs)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show"] = self.request.GET.get("show", "")
        return context


class TicketCreateView(TICKET["add"]):
    def form_valid(self, form):
        response = super().form_valid(form)
        if self.object.pk:
            helpdesk.notify(self.object, "Ticket opened", self.object.description)
        return response


class TicketDetailView(TICKET["detail"]):
    def get_context_data(self, **kwargs):
        from governance.models import TicketComment

        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["comments"] = (
            TicketComment.objects.restrict(user).filter(ticket=self.object).select_related("author")
        )
        context["comment_form"] = CommentForm()
        return context


class TicketUpdateView(SpecFormMixin, mixins.ObjectUpdateView):
    model = Ticket
    spec = specs.TICKET
    form_class = TicketUpdateForm

    def form_valid(self, form):
        before = Ticket.objects.get(pk=form.instance.pk)
        if form.instance.priority != before.priority:
            form.instance.due_at = None  # recomputed from the new priority's SLA
        response = super().form_valid(form)
        lines = helpdesk.changed_fields(before, self.object)
        if lines:
            helpdesk.notify(self.object, "Ticket updated", "\n".join(lines), self.request.user)
        return response


class TicketCommentView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """POST an update: the requester (on their own ticket) or the helpdesk."""

    model = Ticket

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.get_object().get_absolute_url())

    def post(self, request, *args, **kwargs):
        ticket = self.get_object()  # visible: requester, agency administrator, helpdesk
        form = CommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Write the update first.")
        else:
            helpdesk.add_comment(ticket, request.user, form.cleaned_data["body"])
            messages.success(request, "Update added; the requester and the assignee are e-mailed.")
        return HttpResponseRedirect(ticket.get_absolute_url())


# --- Committees ---------------------------------------------------------------------------------
COMMITTEE = build_views(
    specs.COMMITTEE, "committee", detail_base=detail_base("governance/_committee.html")
)


class CommitteeDetailView(COMMITTEE["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = Meeting.objects.restrict(self.request.user).filter(
            committee=self.object
        )
        return context


MEETING = build_views(specs.MEETING, "meeting", detail_base=detail_base("governance/_meeting.html"))


class MeetingCreateView(MEETING["add"]):
    def get_initial(self):
        return {"committee": self.request.GET.get("committee")}


class MeetingDetailView(MEETING["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = (
            ActionItem.objects.restrict(self.request.user)
            .filter(meeting=self.object)
            .select_related("owner")
        )
        context["can_add_item"] = context["can_change"]
        return context


ACTION_ITEM = build_views(specs.ACTION_ITEM, "action_item")


class ActionItemCreateView(ACTION_ITEM["add"]):
    def get_initial(self):
        return {"meeting": self.request.GET.get("meeting")}


# --- Performance --------------------------------------------------------------------------------
GOAL = build_views(
    specs.PERFORMANCE_GOAL,
    "performance_goal",
    detail_base=detail_base("governance/_performance_goal.html"),
)


def chart_data(goal, results) -> dict:
    """Chart.js data: one line per agency (and CoC-wide), plus the target."""
    periods = sorted({r.period_end for r in results})
    series: dict = {}
    for r in results:
        label = r.agency.name if r.agency_id else "CoC-wide"
        series.setdefault(label, {})[r.period_end] = float(r.value)
    labels = [p.isoformat() for p in periods]
    datasets = [
        {"label": label, "data": [values.get(p) for p in periods], "spanGaps": True}
        for label, values in sorted(series.items(), key=lambda kv: kv[0] != "CoC-wide")
    ]
    datasets.append(
        {"label": "Target", "data": [float(goal.target)] * len(periods), "borderDash": [6, 4]}
    )
    return {"labels": labels, "datasets": datasets}


class PerformanceGoalDetailView(GOAL["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = list(
            PerformanceResult.objects.restrict(self.request.user)
            .filter(goal=self.object)
            .select_related("agency")
            .order_by("period_end")
        )
        context["results"] = results
        context["chart"] = chart_data(self.object, results)
        context["can_add_result"] = context["can_change"]
        return context


class PerformanceDashboardView(mixins.RestrictedQuerysetMixin, generic.TemplateView):
    """Actual against target for every goal, CoC-wide and per agency, with trend charts."""

    model = PerformanceGoal
    template_name = "governance/performance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        goals = list(
            PerformanceGoal.objects.restrict(user)
            .select_related("coc")
            .order_by("-year", "measure")
        )
        results = (
            PerformanceResult.objects.restrict(user)
            .filter(goal__in=[g.pk for g in goals])
            .select_related("agency")
            .order_by("period_end")
        )
        by_goal: dict = {}
        for r in results:
            by_goal.setdefault(r.goal_id, []).append(r)
        cards = []
        for goal in goals:
            rows = by_goal.get(goal.pk, [])
            latest = [r for r in rows if r.agency_id is None]
            latest = latest[-1] if latest else None
            cards.append(
                {
                    "goal": goal,
                    "latest": latest,
                    "meets": goal.meets(latest.value) if latest else None,
                    "chart": chart_data(goal, rows),
                    "json_id": f"chart-{goal.pk}",
                }
            )
        context["cards"] = cards
        context["dq_rows"] = _dq_rows(user)
        context["can_add"] = may_anywhere(user, PerformanceGoal, "add")
        return context


def _dq_rows(user) -> list[tuple]:
    """Each visible agency's latest data-quality scan against the plan (dataquality's results,
    read only if that app has them; "no scan yet" otherwise)."""
    rows = []
    agencies = compliance.participating(Agency.objects.restrict(user)).select_related("coc")
    by_coc: dict = {}
    for agency in agencies:
        by_coc.setdefault(agency.coc, []).append(agency)
    for coc, members in by_coc.items():
        checks = compliance._data_quality_checks(coc, [a.pk for a in members])
        for agency in members:
            check = checks.get(agency.pk)
            rows.append(
                (
                    agency,
                    check.status if check else "unknown",
                    check.evidence if check else "No data-quality scan yet.",
                )
            )
    return rows


class PerformanceResultCreateView(SpecFormMixin, mixins.ObjectCreateView):
    model = PerformanceResult
    spec = specs.PERFORMANCE_RESULT
    form_class = build_form(specs.PERFORMANCE_RESULT)

    def get_initial(self):
        return {"goal": self.request.GET.get("goal")}


# --- Vendor oversight ---------------------------------------------------------------------------
VENDOR = build_views(specs.VENDOR_CHECK, "vendor_check")


class VendorCheckListView(VENDOR["list"]):
    template_name = "governance/vendorcheck_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = (
            self.get_queryset()
            .values("period", "result")
            .annotate(n=Count("pk"))
            .order_by("-period", "result")
        )
        periods: dict = {}
        for row in summary:
            periods.setdefault(row["period"], {})[row["result"]] = row["n"]
        context["periods"] = periods
        return context


# --- Compliance ---------------------------------------------------------------------------------
class ComplianceView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """The CoC-wide grid: agencies × duties with their evidence."""

    model = ContinuumOfCare
    template_name = "governance/compliance.html"
    context_object_name = "coc"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agencies = Agency.objects.restrict(self.request.user)
        context["rows"] = compliance.compliance_for(self.object, agencies)
        context["duties"] = compliance.DUTIES
        return context


class ComplianceHomeView(mixins.RestrictedQuerysetMixin, generic.RedirectView):
    """Redirects to the grid of the first CoC the user sees."""

    model = ContinuumOfCare

    def get_redirect_url(self, *args, **kwargs):
        coc = ContinuumOfCare.objects.restrict(self.request.user).order_by("code").first()
        if coc is None:
            raise Http404("You hold no role in a CoC.")
        return reverse("governance:compliance", args=[coc.pk])


class ComplianceLetterView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """A printable compliance letter for one agency."""

    model = Agency
    template_name = "governance/compliance_letter.html"
    context_object_name = "agency"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = self.object
        rows = compliance.compliance_for(
            agency.coc, Agency.objects.restrict(self.request.user).filter(pk=agency.pk)
        )
        context["row"] = rows[0] if rows else None
        context["today"] = timezone.localdate()
        return context


class NonParticipatingView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """Agencies outside HMIS, with outreach notes and participation history."""

    model = ContinuumOfCare
    template_name = "governance/non_participating.html"
    context_object_name = "coc"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        agencies = list(
            Agency.objects.restrict(user)
            .filter(coc=self.object)
            .exclude(pk__in=compliance.participating(Agency.objects.all()).values("pk"))
            .order_by("name")
        )
        notes = OutreachNote.objects.restrict(user).filter(agency__in=[a.pk for a in agencies])
        by_agency: dict = {}
        for note in notes.select_related("contacted_by"):
            by_agency.setdefault(note.agency_id, []).append(note)
        history = (
            Agency.history.filter(id__in=[a.pk for a in agencies])
            .order_by("id", "history_date")
            .values("id", "history_date", "participation_status", "history_user__username")
        )
        changes: dict = {}
        for h in history:
            rows = changes.setdefault(h["id"], [])
            if not rows or rows[-1]["participation_status"] != h["participation_status"]:
                rows.append(h)
        from hmis.codes import HMISParticipationType

        labels = dict(HMISParticipationType.choices)
        context["agencies"] = [
            {
                "agency": a,
                "notes": by_agency.get(a.pk, []),
                "history": [
                    (
                        h["history_date"],
                        labels.get(h["participation_status"], "?"),
                        h["history_user__username"],
                    )
                    for h in changes.get(a.pk, [])
                ],
            }
            for a in agencies
        ]
        context["can_add_note"] = may_anywhere(user, OutreachNote, "add")
        return context


OUTREACH = build_views(specs.OUTREACH_NOTE, "outreach_note")


class OutreachNoteCreateView(OUTREACH["add"]):
    def get_initial(self):
        return {"agency": self.request.GET.get("agency")}


# --- Consent ------------------------------------------------------------------------------------
CONSENT = build_views(specs.CONSENT, "consent", form=ClientConsentForm)


# --- Audit --------------------------------------------------------------------------------------
class AuditView(mixins.RestrictedQuerysetMixin, generic.TemplateView):
    """Every change to governance and role objects in the CoCs the user administers."""

    model = ContinuumOfCare
    template_name = "governance/audit.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.user.is_superuser
            or any(coc_ids_with(request.user, p).exists() for p in audit.AUDIT_PERMISSIONS)
        ):
            raise PermissionDenied("The audit trail is for CoC administrators.")
        return super().dispatch(request, *args, **kwargs)

    def filters(self) -> dict:
        get = self.request.GET

        def day(name):
            try:
                return datetime.date.fromisoformat(get.get(name, ""))
            except ValueError:
                return None

        return {
            "kind": get.get("kind") or None,
            "who": get.get("who") or None,
            "since": day("since"),
            "until": day("until"),
        }

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self) -> HttpResponse:
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "when",
                "who",
                "action",
                "record type",
                "record id",
                "record",
                "field",
                "before",
                "after",
            ]
        )
        for e in audit.entries(self.request.user, limit=5000, **self.filters()):
            for field_name, old, new in e.changes or [("", "", "")]:
                writer.writerow(
                    [
                        e.when.isoformat(),
                        e.who,
                        e.action,
                        e.kind,
                        e.object_id,
                        e.label,
                        field_name,
                        old,
                        new,
                    ]
                )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = audit.entries(self.request.user, limit=200, **self.filters())
        context["kinds"] = [(name, name) for _, name, _ in audit.AUDITED]
        context["f"] = self.request.GET
        return context
