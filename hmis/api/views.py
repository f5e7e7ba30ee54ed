"""The hmis API: imports, sources, clients, enrollments and read-only HUD records."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from agencies.models import ContinuumOfCare
from hmis import filtersets
from hmis.access import log_pii_views, pii_visible_ids
from hmis.importer import queue_import
from hmis.models import (
    HUD_MODELS,
    Client,
    ClientCandidate,
    Enrollment,
    ImportRun,
    PIIAccessLog,
    Source,
)
from hmis_gov.api.viewsets import (
    RestrictedModelViewSet,
    RestrictedReadOnlyModelViewSet,
    RestrictedViewSetMixin,
)
from roles.querysets import may_anywhere

from . import serializers as s


class SourceViewSet(RestrictedModelViewSet):
    """Vendor systems feeding a CoC. Registered and renamed by the CoC HMIS administrator;
    never deleted (their records would go with them): set ``is_active`` to false instead."""

    queryset = Source.objects.select_related("coc")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    serializer_class = s.SourceSerializer
    filterset_class = filtersets.SourceFilterSet
    ordering_fields = ["name", "key"]


class ImportRunViewSet(mixins.CreateModelMixin, RestrictedReadOnlyModelViewSet):
    """``POST`` a zip (multipart: file, coc, source) -> 202 ``{"id": ...}``; ``GET`` its status."""

    queryset = ImportRun.objects.all()
    serializer_class = s.ImportRunSerializer
    filterset_class = filtersets.ImportRunFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["created"]

    @extend_schema(request=s.ImportUploadSerializer, responses={202: dict})
    def create(self, request, *args, **kwargs):
        user = request.user
        if not may_anywhere(user, ImportRun, "add"):
            raise PermissionDenied("You may not upload HMIS exports.")
        upload = s.ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        coc_value, source_value = upload.validated_data["coc"], upload.validated_data["source"]
        cocs = ContinuumOfCare.objects.restrict(user, "view")
        coc = cocs.filter(
            Q(code=coc_value) | Q(pk=int(coc_value) if coc_value.isdigit() else None)
        ).first()
        if coc is None:
            raise ValidationError({"coc": [f"No CoC {coc_value!r} that you may see."]})
        sources = Source.objects.restrict(user, "view").filter(coc=coc)
        source = sources.filter(
            Q(key=source_value) | Q(pk=int(source_value) if source_value.isdigit() else None)
        ).first()
        if source is None:
            raise ValidationError(
                {"source": [f"No source {source_value!r} in {coc.code} that you may see."]}
            )
        if not Source.objects.restrict(user, "import").filter(pk=source.pk).exists():
            raise PermissionDenied(f"You may see source {source} but not upload its exports.")
        file = upload.validated_data["file"]
        run = queue_import(file, coc, source, user=user, name=file.name)
        return Response({"id": run.pk}, status=status.HTTP_202_ACCEPTED)


class PIIListMixin:
    """Decides once per page which clients' PII may be shown, and logs what is shown."""

    def pii_context(self, clients) -> dict:
        ids = pii_visible_ids(self.request.user, [c.pk for c in clients])
        shown = [c for c in clients if c.pk in ids]
        if shown:
            log_pii_views(self.request.user, shown, f"API {self.request.get_full_path()}")
        return {"request": self.request, "pii_ids": ids}


class ClientViewSet(PIIListMixin, RestrictedReadOnlyModelViewSet):
    queryset = Client.objects.all()
    serializer_class = s.ClientSerializer
    filterset_class = filtersets.ClientFilterSet
    ordering_fields = ["personal_id", "date_updated"]
    ordering = ["source_id", "personal_id"]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset()).order_by("source_id", "personal_id")
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = s.ClientSerializer(rows, many=True, context=self.pii_context(rows)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        client = self.get_object()
        return Response(s.ClientSerializer(client, context=self.pii_context([client])).data)


class EnrollmentViewSet(RestrictedReadOnlyModelViewSet):
    queryset = Enrollment.objects.select_related("project", "exit").order_by(
        "source_id", "entry_date", "enrollment_id"
    )
    serializer_class = s.EnrollmentSerializer
    filterset_class = filtersets.EnrollmentFilterSet
    ordering_fields = ["entry_date", "enrollment_id"]


class ClientCandidateViewSet(RestrictedReadOnlyModelViewSet):
    queryset = ClientCandidate.objects.all()
    serializer_class = s.ClientCandidateSerializer
    filterset_class = filtersets.ClientCandidateFilterSet


class PIIAccessLogViewSet(RestrictedReadOnlyModelViewSet):
    queryset = PIIAccessLog.objects.select_related("user")
    serializer_class = s.PIIAccessLogSerializer
    filterset_class = filtersets.PIIAccessLogFilterSet


class RecordListViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A restricted, paginated list of one HUD file's records (filter by ``source``)."""

    filterset_fields = ["source"]


def record_viewset(model) -> type:
    return type(
        f"{model.__name__}ViewSet",
        (RecordListViewSet,),
        {
            "queryset": model.objects.order_by("pk"),
            "serializer_class": s.record_serializer(model),
            "__doc__": f"{model.HUD_FILE}.csv records, restricted (read only).",
        },
    )


# Files served by their own viewsets above.
OWN_VIEWSETS = {"Client", "Enrollment"}
RECORD_VIEWSETS = {
    file: record_viewset(model) for file, model in HUD_MODELS.items() if file not in OWN_VIEWSETS
}
