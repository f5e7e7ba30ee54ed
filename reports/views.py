"""Report pages: list, new report, the report with its review board, drill-downs, exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from hmis_gov.mixins import ObjectCreateView, RestrictedQuerysetMixin
from roles.querysets import may_anywhere

from . import workflow
from .api.views import export_response
from .builder import ReportFrozen, queue_build
from .drilldown import drill_down
from .forms import AnswerForm, ReportForm, UnshelteredForm
from .models import Report


class ReportListView(RestrictedQuerysetMixin, generic.ListView):
    model = Report
    paginate_by = 50
    template_name = "reports/report_list.html"

    def get_queryset(self):
        qs = super().get_queryset().select_related("coc").order_by("-created")
        kind = self.request.GET.get("kind")
        if kind in Report.Kind.values:
            qs = qs.filter(kind=kind)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = Report.Kind.choices
        context["can_build"] = may_anywhere(self.request.user, Report, "add")
        return context


class ReportCreateView(ObjectCreateView):
    model = Report
    form_class = ReportForm
    success_message = "Queued {obj}: the draft is being built."

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        response = super().form_valid(form)
        if getattr(self, "object", None) is not None and self.object.pk:
            queue_build(self.object, self.request.user)
        return response

    def get_success_url(self):
        return self.object.get_absolute_url()


class ReportDetailView(RestrictedQuerysetMixin, generic.DetailView):
    model = Report
    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        version = report.current_version()
        context.update(
            version=version,
            versions=report.versions.all(),
            board=workflow.verification_board(report),
            mine=[a.pk for a in workflow.verifiable_agencies(report, user)],
            can_build=Report.objects.restrict(user, "build").filter(pk=report.pk).exists(),
            runs=report.runs.all()[:5],
            events=report.events.select_related("user")[:20],
            answer_form=AnswerForm(),
            unsheltered_form=UnshelteredForm(initial=report.unsheltered or None),
            expected=("verified" if report.kind in Report.NIGHT_KINDS else "signed_off"),
        )
        return context


class ReportActionView(RestrictedQuerysetMixin, generic.View):
    """POST-only workflow actions; the workflow re-checks who may do what."""

    model = Report
    http_method_names = ["post"]

    def post(self, request, pk, action):
        report = get_object_or_404(self.get_queryset(), pk=pk)
        user = request.user
        try:
            if action == "rebuild":
                self.check_action(report, "build")
                queue_build(report, user)
                messages.success(request, "A new version is being built.")
            elif action == "answer":
                form = AnswerForm(request.POST)
                if not form.is_valid():
                    raise workflow.WorkflowError("Choose an answer.")
                agency = get_object_or_404(
                    workflow.agencies_in_scope(report), pk=form.cleaned_data["agency"]
                )
                workflow.answer(
                    report,
                    user,
                    agency,
                    form.cleaned_data["decision"],
                    form.cleaned_data["comment"],
                )
                messages.success(request, f"Recorded {agency}'s answer.")
            elif action == "lock":
                workflow.lock(report, user)
                messages.success(request, "Locked: this version will never change.")
            elif action == "submit":
                workflow.submit(report, user)
                messages.success(request, "Marked submitted.")
            elif action == "remind":
                self.check_action(report, "build")
                sent = workflow.remind(report, user)
                messages.success(request, f"Sent {sent} reminder(s).")
            elif action == "unsheltered":
                self.check_action(report, "build")
                form = UnshelteredForm(request.POST)
                if report.kind != Report.Kind.PIT or report.is_frozen or not form.is_valid():
                    raise workflow.WorkflowError(
                        "Enter whole numbers of persons and households on an open PIT report."
                    )
                Report.objects.filter(pk=report.pk).update(unsheltered=form.cleaned_data)
                messages.success(request, "Saved the unsheltered totals; rebuild to include them.")
            else:
                raise workflow.WorkflowError(f"Unknown action {action!r}.")
        except workflow.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except (workflow.WorkflowError, ReportFrozen) as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("reports:report", args=[report.pk]))


class CellView(RestrictedQuerysetMixin, generic.DetailView):
    """The rows behind one cell, restricted to the viewer's scope."""

    model = Report
    template_name = "reports/cell.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object.current_version()
        if version is None:
            from django.http import Http404

            raise Http404("The report has no version yet.")
        context["version"] = version
        context["drill"] = drill_down(
            version, self.kwargs["table"], self.kwargs["cell"], self.request.user
        )
        return context


class ExportView(RestrictedQuerysetMixin, generic.DetailView):
    model = Report

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        version = report.current_version()
        if version is None:
            from django.http import Http404

            raise Http404("The report has no version yet.")
        return export_response(report, version, self.kwargs["fmt"])
