"""Pages: the reviewer's inbox, a flag, scans, scorecards, rules and the Data Quality Plan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views import generic

from agencies.models import Agency, ContinuumOfCare
from hmis.models import Client
from hmis_gov import mixins

from . import filtersets, schedule, scorecards, tables, workflow
from .forms import DataQualityPlanForm, FlagActionForm, RuleSettingForm
from .models import DataQualityPlan, Flag, FlagEvent, RuleSetting, Scan, ScanResult
from .scans import ensure_rule_settings, live_progress, start_scan


class FlagListView(mixins.ObjectListView):
    """The reviewer's inbox: sorted by severity, then age; bulk actions; CSV/XLSX export."""

    model = Flag
    queryset = Flag.objects.select_related("agency", "hmis_project", "assignee")
    table_class = tables.FlagTable
    filterset_class = filtersets.FlagFilterSet
    template_name = "dataquality/flag_list.html"

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.GET.get("status"):
            queryset = queryset.filter(status__in=("open", "in_review"))
        return queryset.order_by("-severity", "first_found", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_form"] = FlagActionForm()
        return context

    def post(self, request, *args, **kwargs):
        """Bulk action on the selected flags the user may act on (others are ignored)."""
        ids = request.POST.getlist("select")
        form = FlagActionForm(request.POST)
        flags = Flag.objects.restrict(request.user, "change").filter(pk__in=ids)
        if not form.is_valid() or not form.cleaned_data["status"]:
            messages.error(request, "Choose the flags and a status.")
            return HttpResponseRedirect(request.get_full_path())
        done = 0
        for flag in flags:  # a handful of flags a person ticked, not a scan
            try:
                workflow.change_status(
                    flag, form.cleaned_data["status"], request.user, form.cleaned_data["reason"]
                )
                done += 1
            except ValidationError as error:
                messages.error(request, "; ".join(error.messages))
                break
        messages.success(request, f"Updated {done} flag(s).")
        return HttpResponseRedirect(request.get_full_path())


class FlagView(mixins.ObjectDetailView):
    model = Flag
    queryset = Flag.objects.select_related("agency", "hmis_project", "assignee", "client")
    template_name = "dataquality/flag_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        flag = self.object
        # Names and DOB only for roles that need them (view_client_pii); masked otherwise.
        context["may_see_pii"] = bool(
            flag.client_id
            and Client.objects.restrict(self.request.user, "pii").filter(pk=flag.client_id).exists()
        )
        context["events"] = FlagEvent.objects.filter(flag=flag).select_related("user")
        context["form"] = FlagActionForm()
        return context

    def post(self, request, *args, **kwargs):
        self.action = "change"
        flag = self.get_object()  # 404 outside view, 403 without review_data_quality
        form = FlagActionForm(request.POST)
        if form.is_valid():
            try:
                # The comment and the status change are one write: both or neither.
                with transaction.atomic():
                    if form.cleaned_data["comment"]:
                        workflow.comment(flag, request.user, form.cleaned_data["comment"])
                    if form.cleaned_data["status"]:
                        workflow.change_status(
                            flag,
                            form.cleaned_data["status"],
                            request.user,
                            form.cleaned_data["reason"],
                        )
                messages.success(request, "Saved.")
            except ValidationError as error:
                messages.error(request, "; ".join(error.messages))
        return HttpResponseRedirect(flag.get_absolute_url())


class ScanListView(mixins.ObjectListView):
    model = Scan
    queryset = Scan.objects.select_related("coc", "agency")
    table_class = tables.ScanTable
    filterset_class = filtersets.ScanFilterSet
    template_name = "dataquality/scan_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cocs"] = ContinuumOfCare.objects.restrict(self.request.user, "view")
        context["agencies"] = Agency.objects.restrict(self.request.user, "view")
        return context

    def post(self, request, *args, **kwargs):
        """Start a scan of a CoC or one agency the user may scan."""
        coc_id, agency_id = request.POST.get("coc"), request.POST.get("agency")
        if agency_id:
            agency = get_object_or_404(Agency.objects.restrict(request.user, "view"), pk=agency_id)
            coc_id, agency_id = agency.coc_id, agency.pk
        else:
            coc = get_object_or_404(
                ContinuumOfCare.objects.restrict(request.user, "view"), pk=coc_id or 0
            )
            coc_id, agency_id = coc.pk, None
        probe = Scan(coc_id=coc_id, agency_id=agency_id)
        allowed_cocs = ContinuumOfCare.objects.restrict(request.user, "view")
        if not _may_start(request.user, probe, allowed_cocs):
            raise PermissionDenied("You may not start a scan there.")
        scan = start_scan(coc_id, agency_id, user=request.user)
        messages.success(request, f"Scan {scan.pk} queued.")
        return HttpResponseRedirect(scan.get_absolute_url())


def _may_start(user, probe: Scan, cocs) -> bool:
    from roles.querysets import agency_ids_with, coc_ids_with

    if user.is_superuser:
        return True
    if coc_ids_with(user, "run_scans").filter(content_object_id=probe.coc_id).exists():
        return True
    return bool(
        probe.agency_id
        and agency_ids_with(user, "review_data_quality")
        .filter(content_object_id=probe.agency_id)
        .exists()
    )


class ScanView(mixins.ObjectDetailView):
    model = Scan
    template_name = "dataquality/scan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["progress"] = live_progress(self.object)
        context["counts"] = sorted(self.object.counts.items(), key=lambda kv: -kv[1])
        return context


class ScorecardView(mixins.RestrictedQuerysetMixin, generic.TemplateView):
    """Scorecard of a CoC, or of one agency (``?agency=``), or one project (``&project=``).

    ``?print=1`` gives the printable data-quality report of the agency.
    """

    model = Scan
    template_name = "dataquality/scorecard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(scan=None, agency=None, coc=None, lines=[], printable=False)
        user = self.request.user
        agency = None
        if self.request.GET.get("agency"):
            agency = get_object_or_404(
                Agency.objects.restrict(user, "view"), pk=self.request.GET["agency"]
            )
        visible_scans = self.get_queryset()
        coc_id = (
            agency.coc_id
            if agency
            else (
                self.request.GET.get("coc")
                or visible_scans.values_list("coc_id", flat=True).first()
            )
        )
        if coc_id is None:
            context["scan"] = None
            return context
        scan = scorecards.latest_scan(int(coc_id), agency.pk if agency else None)
        if agency is not None:
            # Agency cards: only for people who see that agency's scorecard rows.
            if not ScanResult.objects.restrict(user, "view").filter(agency=agency).exists():
                raise Http404
        elif not visible_scans.filter(coc_id=coc_id, agency__isnull=True).exists():
            raise Http404  # the CoC-wide card is for CoC-wide reviewers
        project = self.request.GET.get("project")
        context.update(
            scan=scan,
            agency=agency,
            coc=ContinuumOfCare.objects.filter(pk=coc_id).first(),
            printable=bool(self.request.GET.get("print")),
        )
        if scan is None:
            return context
        lines = scorecards.card(
            scan, agency.pk if agency else None, int(project) if project else None
        )
        scans = Scan.objects.filter(coc_id=coc_id)
        if agency:
            scans = scans.filter(agency__isnull=True) | scans.filter(agency=agency)
        else:
            scans = scans.filter(agency__isnull=True)
        series = scorecards.trend(scans, agency.pk if agency else None)
        context["lines"] = lines
        context["meets_plan"] = scorecards.meets_plan(lines)
        context["charts"] = {
            line.key: mark_safe(scorecards.svg_chart(series, line.key))
            for line in lines  # noqa: S308 - built from numbers
        }
        if agency is None:
            context["ranking"] = scorecards.ranking(scan)
        return context


class RuleSettingListView(mixins.ObjectListView):
    model = RuleSetting
    table_class = tables.RuleSettingTable
    filterset_class = filtersets.RuleSettingFilterSet
    paginate_by = 100

    def get(self, request, *args, **kwargs):
        for coc in ContinuumOfCare.objects.restrict(request.user, "view"):
            ensure_rule_settings(coc.pk)
        return super().get(request, *args, **kwargs)


class RuleSettingEditView(mixins.ObjectUpdateView):
    model = RuleSetting
    form_class = RuleSettingForm

    def get_success_url(self):
        return reverse("dataquality:rule_list")


class PlanEditView(mixins.ObjectUpdateView):
    """The CoC's Data Quality Plan benchmarks and nightly scan time (CoC HMIS administrator)."""

    model = DataQualityPlan
    form_class = DataQualityPlanForm

    def get_object(self, queryset=None):
        coc = get_object_or_404(
            ContinuumOfCare.objects.restrict(self.request.user, "view"), pk=self.kwargs["coc"]
        )
        DataQualityPlan.objects.get_or_create(coc=coc)
        self.kwargs["pk"] = DataQualityPlan.objects.get(coc=coc).pk
        return super().get_object(queryset)

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.is_valid() and self.object.pk:
            schedule.sync_nightly_scan(self.object)
        return response

    def get_success_url(self):
        return reverse("dataquality:scorecard") + f"?coc={self.object.coc_id}"
