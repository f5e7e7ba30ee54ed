from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from hmis_gov.api.viewsets import RestrictedReadOnlyModelViewSet, RestrictedViewSetMixin

from .. import filtersets, schedule, workflow
from ..models import DataQualityPlan, Flag, FlagEvent, RuleSetting, Scan, ScanResult
from ..scorecards import latest_scan
from . import serializers


class RuleSettingViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The rules of each CoC the caller sees; the CoC HMIS administrator switches them."""

    queryset = RuleSetting.objects.all()
    serializer_class = serializers.RuleSettingSerializer
    filterset_class = filtersets.RuleSettingFilterSet


class ScanViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Scan.objects.select_related("coc", "agency")
    serializer_class = serializers.ScanSerializer
    filterset_class = filtersets.ScanFilterSet

    @extend_schema(
        responses={
            202: inline_serializer(
                "ScanQueued",
                {
                    "id": drf_serializers.IntegerField(),
                    "status": drf_serializers.ChoiceField(choices=Scan.Status.choices),
                },
            )
        }
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        from ..scans import start_scan

        data = serializer.validated_data
        with transaction.atomic():
            scan = start_scan(
                data["coc"].pk,
                data["agency"].pk if data.get("agency") else None,
                user=request.user,
                as_of=data.get("as_of"),
            )
            self.check_saved(scan, "add")
        return Response({"id": scan.pk, "status": scan.status}, status=status.HTTP_202_ACCEPTED)


class FlagViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Flags; ``PATCH`` ``{"status": ..., "reason": ...}``; ``comments`` lists and adds comments."""

    queryset = Flag.objects.select_related("hmis_project")
    serializer_class = serializers.FlagSerializer
    filterset_class = filtersets.FlagFilterSet
    http_method_names = ["get", "patch", "post", "head", "options"]

    def perform_update(self, serializer):
        flag = serializer.instance
        new = serializer.validated_data.get("status", flag.status)
        try:
            workflow.change_status(
                flag, new, self.request.user, serializer.validated_data.get("reason", "")
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error

    def request_action(self) -> str:
        # Commenting is acting on the flag (change), not adding a flag.
        if self.action == "comments" and self.request.method == "POST":
            return "change"
        return super().request_action()

    @extend_schema(
        methods=["GET"], request=None, responses=serializers.FlagEventSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        request=inline_serializer("FlagCommentRequest", {"text": drf_serializers.CharField()}),
        responses={201: serializers.FlagEventSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request, pk=None):
        flag = self.get_object()
        if request.method == "GET":
            events = FlagEvent.objects.filter(flag=flag).select_related("user")
            return Response(serializers.FlagEventSerializer(events, many=True).data)
        try:
            event = workflow.comment(flag, request.user, str(request.data.get("text", "")))
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(serializers.FlagEventSerializer(event).data, status=status.HTTP_201_CREATED)


class ScorecardViewSet(RestrictedReadOnlyModelViewSet):
    """Scorecard rows (per scan, rule, agency, project); by default the latest scan of each CoC."""

    queryset = ScanResult.objects.all()
    serializer_class = serializers.ScanResultSerializer
    filterset_class = filtersets.ScanResultFilterSet

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and "scan" not in self.request.query_params:
            latest = [
                scan.pk
                for scan in (
                    latest_scan(coc_id)
                    for coc_id in Scan.objects.restrict(self.request.user, "view")
                    .values_list("coc_id", flat=True)
                    .distinct()
                )
                if scan
            ]
            queryset = queryset.filter(scan_id__in=latest)
        return queryset


class DataQualityPlanViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    # Ordered, so that pages of plans are stable (DRF warned of an unordered list).
    queryset = DataQualityPlan.objects.order_by("coc__code")
    serializer_class = serializers.DataQualityPlanSerializer

    def perform_update(self, serializer):
        super().perform_update(serializer)
        schedule.sync_nightly_scan(serializer.instance)


class FlagEventViewSet(RestrictedReadOnlyModelViewSet):
    """Every flag's history and comments the caller may see (``?flag=`` for one flag)."""

    queryset = FlagEvent.objects.select_related("user")
    serializer_class = serializers.FlagEventSerializer
    filterset_fields = ["flag", "kind"]
