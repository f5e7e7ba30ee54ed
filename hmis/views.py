"""Pages of the hmis app: imports, sources, clients, enrollments, candidates, access log, export.

Every queryset goes through ``restrict``; client PII is shown only where ``restrict(user, "pii")``
allows it, and every time it is shown an access-log row is written.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseRedirect
from django.utils import timezone
from django.views import generic

from hmis import filtersets, tables
from hmis.access import log_pii_views, pii_visible_ids
from hmis.exporter import Scope, export_zip
from hmis.forms import ExportForm, SourceForm, UploadForm
from hmis.importer import queue_import
from hmis.models import (
    Client,
    ClientCandidate,
    Disabilities,
    Enrollment,
    Exit,
    ImportRun,
    IncomeBenefits,
    PIIAccessLog,
    Services,
    Source,
)
from hmis_gov import mixins
from roles.querysets import may_anywhere


class ImportRunListView(mixins.ObjectListView):
    model = ImportRun
    queryset = ImportRun.objects.select_related("source", "created_by")
    filterset_class = filtersets.ImportRunFilterSet
    table_class = tables.ImportRunTable
    add_url_name = "hmis:import_add"


class ImportUploadView(mixins.RestrictedQuerysetMixin, generic.FormView):
    """Upload a zip for a source you may import; the import runs in the background."""

    model = ImportRun
    action = "add"
    form_class = UploadForm
    template_name = "hmis/import_upload.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_anywhere(request.user, ImportRun, "add"):
            raise PermissionDenied("You may not upload HMIS exports.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        source = form.cleaned_data["source"]
        upload = form.cleaned_data["file"]
        run = queue_import(upload, source.coc, source, user=self.request.user, name=upload.name)
        messages.success(self.request, f"Import {run.pk} of {upload.name} is queued.")
        return HttpResponseRedirect(run.get_absolute_url())


class ImportRunView(mixins.ObjectDetailView):
    model = ImportRun
    queryset = ImportRun.objects.select_related("source", "coc", "created_by")


class SourceListView(mixins.ObjectListView):
    model = Source
    queryset = Source.objects.select_related("coc", "agency")
    filterset_class = filtersets.SourceFilterSet
    table_class = tables.SourceTable
    add_url_name = "hmis:source_add"


class SourceCreateView(mixins.ObjectCreateView):
    model = Source
    form_class = SourceForm


class SourceEditView(mixins.ObjectUpdateView):
    model = Source
    form_class = SourceForm


class SourceView(mixins.ObjectDetailView):
    model = Source
    queryset = Source.objects.select_related("coc", "agency")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["imports"] = ImportRun.objects.restrict(user).filter(source=self.object)[:10]
        context["client_count"] = Client.objects.restrict(user).filter(source=self.object).count()
        context["enrollment_count"] = (
            Enrollment.objects.restrict(user).filter(source=self.object).count()
        )
        return context


class ClientListView(mixins.ObjectListView):
    model = Client
    queryset = Client.objects.select_related("source").order_by("source_id", "personal_id")
    filterset_class = filtersets.ClientFilterSet
    table_class = tables.ClientTable
    export_formats = ()  # client lists hold PII: exports go through the HMIS CSV export page

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        rows = list(table.page.object_list) if hasattr(table, "page") else []
        records = [row.record for row in rows]
        table.pii_ids = pii_visible_ids(self.request.user, [c.pk for c in records])
        shown = [c for c in records if c.pk in table.pii_ids]
        if shown:
            log_pii_views(self.request.user, shown, self.request.get_full_path())
        return table


class ClientView(mixins.ObjectDetailView):
    model = Client
    queryset = Client.objects.select_related("source", "coc")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, client = self.request.user, self.object
        context["pii"] = client.pk in pii_visible_ids(user, [client.pk])
        if context["pii"]:
            log_pii_views(user, [client], self.request.get_full_path())
        context["enrollments"] = (
            Enrollment.objects.restrict(user)
            .filter(client=client)
            .select_related("project", "source", "exit", "agency")
            .order_by("entry_date")
        )
        # The same person from other sources, as candidates (never merged).
        candidates = ClientCandidate.objects.restrict(user).filter(client=client) | (
            ClientCandidate.objects.restrict(user).filter(other=client)
        )
        context["candidates"] = candidates.select_related("client__source", "other__source")
        return context


class EnrollmentListView(mixins.ObjectListView):
    model = Enrollment
    queryset = Enrollment.objects.select_related("project", "exit", "source").order_by(
        "-entry_date", "enrollment_id"
    )
    filterset_class = filtersets.EnrollmentFilterSet
    table_class = tables.EnrollmentTable


class EnrollmentView(mixins.ObjectDetailView):
    model = Enrollment
    queryset = Enrollment.objects.select_related("project", "client", "source", "agency")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, enrollment = self.request.user, self.object
        context["exit"] = Exit.objects.restrict(user).filter(enrollment=enrollment).first()
        context["income"] = (
            IncomeBenefits.objects.restrict(user)
            .filter(enrollment=enrollment)
            .order_by("information_date")
        )
        context["disabilities"] = (
            Disabilities.objects.restrict(user)
            .filter(enrollment=enrollment)
            .order_by("information_date", "disability_type")
        )
        services = Services.objects.restrict(user).filter(enrollment=enrollment)
        context["service_count"] = services.count()
        context["services"] = services.order_by("-date_provided")[:100]
        context["household"] = (
            Enrollment.objects.restrict(user)
            .filter(source=enrollment.source, household_id=enrollment.household_id)
            .exclude(pk=enrollment.pk)
            .order_by("relationship_to_hoh")
        )
        return context


class ClientCandidateListView(mixins.ObjectListView):
    model = ClientCandidate
    queryset = ClientCandidate.objects.select_related("client", "other", "reviewed_by")
    filterset_class = filtersets.ClientCandidateFilterSet
    table_class = tables.ClientCandidateTable


class ClientCandidateReviewView(mixins.RestrictedQuerysetMixin, generic.DetailView):
    """Record a decision on a candidate: same person or not. Nothing is merged either way."""

    model = ClientCandidate
    action = "change"
    template_name = "hmis/clientcandidate_review.html"

    def post(self, request, *args, **kwargs):
        candidate = self.get_object()
        decision = request.POST.get("status")
        if decision not in (ClientCandidate.Status.SAME, ClientCandidate.Status.DIFFERENT):
            messages.error(request, "Choose 'Same person' or 'Different people'.")
            return HttpResponseRedirect(request.path)
        candidate.status = decision
        candidate.reviewed_by = request.user
        candidate.reviewed_at = timezone.now()
        candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        messages.success(request, f"Recorded: {candidate.get_status_display()}.")
        return HttpResponseRedirect(candidate.client.get_absolute_url())


class PIIAccessLogListView(mixins.ObjectListView):
    model = PIIAccessLog
    queryset = PIIAccessLog.objects.select_related("user", "source")
    filterset_class = filtersets.PIIAccessLogFilterSet
    table_class = tables.PIIAccessLogTable


class ExportView(mixins.RestrictedQuerysetMixin, generic.FormView):
    """Download an FY2026 HMIS CSV zip of a scope and date range you may see."""

    model = Client
    form_class = ExportForm
    template_name = "hmis/export.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.request.GET.get("coc"):
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return self.download(form.cleaned_data)
        return self.render_to_response(self.get_context_data(form=form))

    def download(self, data) -> FileResponse:
        scope = Scope(
            coc=data["coc"],
            agency=data.get("agency"),
            project=data.get("project"),
            start=data.get("start"),
            end=data.get("end"),
            source=data.get("source"),
        )
        out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
        export_zip(self.request.user, scope, out, where=self.request.get_full_path())
        out.seek(0)
        name = f"hmis-csv-{scope.coc.code}-{timezone.localdate():%Y%m%d}.zip"
        return FileResponse(out, as_attachment=True, filename=name)
