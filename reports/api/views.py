from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from hmis_gov.api.viewsets import RestrictedViewSetMixin
from reports import exports, workflow
from reports.builder import ReportFrozen, queue_build
from reports.drilldown import drill_down
from reports.models import Report
from roles.querysets import may_anywhere

from .serializers import (
    AnswerSerializer,
    ReportDetailSerializer,
    ReportSerializer,
    UnshelteredSerializer,
    VersionSerializer,
)


class FileRenderer(renderers.BaseRenderer):
    """Lets ``?format=csv|xlsx|zip|html`` reach the export action (DRF reads ``format``)."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CSVRenderer(FileRenderer):
    media_type, format = "text/csv", "csv"


class XLSXRenderer(FileRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class ZipRenderer(FileRenderer):
    media_type, format = "application/zip", "zip"


class HTMLFileRenderer(FileRenderer):
    media_type, format = "text/html", "html"


def workflow_errors(func):
    def wrapper(self, request, *args, **kwargs):
        try:
            return func(self, request, *args, **kwargs)
        except workflow.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except (workflow.WorkflowError, ReportFrozen) as exc:
            raise ValidationError({"detail": str(exc)}) from exc

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


# The answer of a build request (POST /reports/ and /reports/{id}/rebuild/): the run is queued.
BUILD_QUEUED = inline_serializer(
    "ReportBuildQueued",
    {"id": serializers.IntegerField(), "run": serializers.IntegerField()},
)


class ReportViewSet(
    RestrictedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """PIT, HIC, APR and DQ reports: build (202), read, verify, lock, submit, export."""

    queryset = Report.objects.select_related("coc").prefetch_related("projects")
    serializer_class = ReportSerializer
    filterset_fields = ["kind", "status", "coc"]
    ordering_fields = ["created", "kind", "status"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ReportDetailSerializer
        return ReportSerializer

    @extend_schema(responses={202: BUILD_QUEUED})
    def create(self, request, *args, **kwargs):
        if not may_anywhere(request.user, Report, "add"):
            raise PermissionDenied("Only a CoC HMIS administrator builds reports.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        report = serializer.instance
        run = queue_build(report, request.user)
        return Response({"id": report.pk, "run": run.pk}, status=status.HTTP_202_ACCEPTED)

    def handle_exception(self, exc):
        # Errors are JSON even when ?format= chose a file renderer for the export.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response

    def not_built(self) -> Response:
        """404 in the API's error shape, as JSON even when ?format= chose a file renderer: the
        report has no built version yet (its first build is queued or running)."""
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return Response(
            {"status": 404, "code": "not_built", "detail": "Not built yet."},
            status=status.HTTP_404_NOT_FOUND,
        )

    def request_action(self) -> str:
        # Workflow actions are POSTs on a report the caller sees; the workflow checks the
        # permission each needs (build, verify) and answers 403 with what to do instead.
        return "view"

    def extra_save_kwargs(self) -> dict:
        return {"created_by": self.request.user}

    def _checked(self, action_name: str) -> Report:
        report = self.get_object()
        if (
            not Report.objects.restrict(self.request.user, action_name)
            .filter(pk=report.pk)
            .exists()
        ):
            raise PermissionDenied(f"You may see this report but not {action_name} it.")
        return report

    @extend_schema(request=None, responses={202: BUILD_QUEUED})
    @action(detail=True, methods=["post"])
    @workflow_errors
    def rebuild(self, request, pk=None):
        """Build a new version; the response of GET shows what changed."""
        report = self._checked("build")
        run = queue_build(report, request.user)
        return Response({"id": report.pk, "run": run.pk}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=AnswerSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    @workflow_errors
    def verify(self, request, pk=None):
        """An agency verifies (PIT/HIC), signs off (APR/DQ) or sends back a question."""
        report = self.get_object()
        serializer = AnswerSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agency = workflow.agencies_in_scope(report).filter(pk=data["agency"]).first()
        if agency is None:
            raise ValidationError({"agency": "That agency has no project in this report."})
        v = workflow.answer(report, request.user, agency, data["decision"], data["comment"])
        return Response({"id": v.pk, "decision": v.decision, "version": v.version.number})

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["post"])
    @workflow_errors
    def lock(self, request, pk=None):
        report = workflow.lock(self.get_object(), request.user)
        return Response({"status": report.status})

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["post"])
    @workflow_errors
    def submit(self, request, pk=None):
        report = workflow.submit(self.get_object(), request.user)
        return Response({"status": report.status})

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["post"])
    @workflow_errors
    def remind(self, request, pk=None):
        report = self._checked("build")
        return Response({"sent": workflow.remind(report, request.user)})

    @extend_schema(request=UnshelteredSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    @workflow_errors
    def unsheltered(self, request, pk=None):
        """PIT: the street count's totals, entered by hand."""
        report = self._checked("build")
        if report.kind != Report.Kind.PIT or report.is_frozen:
            raise workflow.WorkflowError("Unsheltered totals go on an open PIT report.")
        serializer = UnshelteredSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        Report.objects.filter(pk=report.pk).update(unsheltered=serializer.validated_data)
        return Response(serializer.validated_data)

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, pk=None):
        report = self.get_object()
        return Response(VersionSerializer(report.versions.all(), many=True).data)

    @extend_schema(responses=dict)
    @action(
        detail=True,
        methods=["get"],
        url_path=r"cells/(?P<table>[A-Za-z0-9_]+)/(?P<cell>[A-Z]+[0-9]+)",
        url_name="cell",
    )
    def cell(self, request, pk=None, table=None, cell=None):
        """The rows behind one cell (restricted; rows elsewhere are only counted)."""
        report = self.get_object()
        version = report.current_version()
        if version is None:
            return self.not_built()
        result = drill_down(version, table, cell, request.user)
        return Response(
            {
                "table": table,
                "cell": cell,
                "value": result.value,
                "hidden": result.hidden,
                "rows": [
                    {k: v for k, v in row.items() if k != "enrollment_pk"} for row in result.rows
                ],
            }
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["csv", "xlsx", "zip", "html"],
                description="The file to answer (csv when left out); zip only for the APR.",
            )
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, XLSXRenderer.media_type): OpenApiTypes.BINARY,
            (200, "application/zip"): OpenApiTypes.BINARY,
            (200, "text/html"): OpenApiTypes.STR,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[
            renderers.JSONRenderer,
            CSVRenderer,
            XLSXRenderer,
            ZipRenderer,
            HTMLFileRenderer,
        ],
    )
    def export(self, request, pk=None):
        """``?format=csv|xlsx|html``, and ``zip`` (the APR's CSV zip for Sage)."""
        report = self.get_object()
        version = report.current_version()
        if version is None:
            return self.not_built()
        fmt = request.query_params.get("format", "csv")
        if fmt == "zip" and report.kind != Report.Kind.APR:
            raise ValidationError({"format": ["The Sage CSV zip is for the APR."]})
        return export_response(report, version, fmt)


def export_response(report, version, fmt: str) -> HttpResponse:
    name = f"{report.kind}-{report.coc.code}-{report.pk}-v{version.number}"
    if fmt == "xlsx":
        response = HttpResponse(exports.version_xlsx(version), content_type=XLSXRenderer.media_type)
    elif fmt == "zip":
        if report.kind != Report.Kind.APR:
            return HttpResponse("The Sage CSV zip is for the APR.", status=400)
        response = HttpResponse(exports.sage_zip(version), content_type="application/zip")
    elif fmt == "html":
        from django.template.loader import render_to_string

        html = render_to_string("reports/report_print.html", {"report": report, "version": version})
        return HttpResponse(html, content_type="text/html")
    else:
        fmt = "csv"
        response = HttpResponse(exports.version_csv(version), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
