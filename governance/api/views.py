"""The governance API under /api/v1/: one restricted viewset per record type, plus actions."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from agencies.models import Agency, ContinuumOfCare
from governance import accounts as account_rules
from governance import audit, compliance, helpdesk, specs
from governance.generic import build_viewset
from governance.uploads import CONTENT_TYPES
from hmis_gov.api.viewsets import RestrictedReadOnlyModelViewSet, RestrictedViewSetMixin
from roles.querysets import coc_ids_with

from .serializers import (
    AccountRequestSerializer,
    AgencyComplianceSerializer,
    AgreementSerializer,
    AuditEntrySerializer,
    DecisionSerializer,
    TicketSerializer,
)


class ObjectActionMixin:
    def object_for(self, action_name: str):
        """The object, 404 outside the caller's view, 403 without ``action_name``."""
        obj = self.get_object_for_view()
        model = type(obj)
        # The base ``check_action`` knows only the CRUD verbs; these are the model's own.
        if not model.objects.restrict(self.request.user, action_name).filter(pk=obj.pk).exists():
            raise PermissionDenied(
                f"You may see this {model._meta.verbose_name} but not {action_name} it."
            )
        return obj

    def get_object_for_view(self):
        queryset = self.filter_queryset(self.get_queryset())
        try:
            return queryset.get(pk=self.kwargs["pk"])
        except (queryset.model.DoesNotExist, ValueError) as exc:
            raise Http404 from exc


_AgreementBase = build_viewset(specs.AGREEMENT, serializer=AgreementSerializer)


class AgreementViewSet(ObjectActionMixin, _AgreementBase):
    @extend_schema(request=None, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """The agency executive signs as authorizing agent."""
        agreement = self.object_for("sign")
        agreement.authorizing_agent = request.user
        agreement.agency_signed_on = timezone.localdate()
        agreement.save()
        return Response(self.get_serializer(agreement).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        """The signed copy, for its keepers and the agency's authorizing agent only."""
        agreement = self.object_for("download")
        if not agreement.document:
            raise Http404
        response = FileResponse(
            agreement.document.open("rb"),
            as_attachment=True,
            filename=agreement.document_name or "agreement",
            content_type=CONTENT_TYPES.get(agreement.document_type, "application/octet-stream"),
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


_AccountBase = build_viewset(specs.ACCOUNT_REQUEST, serializer=AccountRequestSerializer)


class AccountRequestViewSet(ObjectActionMixin, _AccountBase):
    def _decide(self, request, approve: bool):
        obj = self.object_for("approve")
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            if approve:
                account_rules.approve(
                    obj,
                    request.user,
                    data.validated_data.get("password", ""),
                    data.validated_data.get("note", ""),
                )
            else:
                account_rules.reject(obj, request.user, data.validated_data.get("note", ""))
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)

    @extend_schema(request=DecisionSerializer, responses=AccountRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Create the account, inactive until trainings and the user agreement are recorded."""
        return self._decide(request, True)

    @extend_schema(request=DecisionSerializer, responses=AccountRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, False)


class _TicketBase(build_viewset(specs.TICKET, serializer=TicketSerializer)):
    pass


class TicketViewSet(_TicketBase):
    def perform_create(self, serializer):
        super().perform_create(serializer)
        helpdesk.notify(serializer.instance, "Ticket opened", serializer.instance.description)

    def perform_update(self, serializer):
        before = type(serializer.instance).objects.get(pk=serializer.instance.pk)
        super().perform_update(serializer)
        lines = helpdesk.changed_fields(before, serializer.instance)
        if lines:
            helpdesk.notify(
                serializer.instance, "Ticket updated", "\n".join(lines), self.request.user
            )


class TicketCommentViewSet(build_viewset(specs.TICKET_COMMENT)):
    """Updates on tickets; anyone who sees a ticket (its requester, the agency administrator,
    the helpdesk) may add one. Updates are never edited or deleted: they are the history."""

    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        # ``ticket`` is a restricted field: a ticket the caller cannot see is "invalid".
        ticket = serializer.validated_data["ticket"]
        body = serializer.validated_data["body"]
        serializer.instance = helpdesk.add_comment(ticket, self.request.user, body)


class ComplianceViewSet(RestrictedReadOnlyModelViewSet):
    """The compliance grid of a CoC: every participating agency × every duty, with evidence."""

    queryset = ContinuumOfCare.objects.all()
    serializer_class = AgencyComplianceSerializer
    pagination_class = None

    def list(self, request, *args, **kwargs):
        rows = []
        agencies = Agency.objects.restrict(request.user)
        for coc in self.get_queryset().order_by("code"):
            rows.extend(compliance.compliance_for(coc, agencies))
        return Response(AgencyComplianceSerializer(rows, many=True).data)

    # One CoC's grid is a list of agency rows, as the list is (issue 8: schemathesis).
    @extend_schema(
        operation_id="compliance_retrieve", responses=AgencyComplianceSerializer(many=True)
    )
    def retrieve(self, request, *args, **kwargs):
        coc = self.get_object()
        rows = compliance.compliance_for(coc, Agency.objects.restrict(request.user))
        return Response(AgencyComplianceSerializer(rows, many=True).data)


class AuditLogViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every change to governance and role objects of the CoCs the caller administers."""

    queryset = ContinuumOfCare.objects.all()
    serializer_class = AuditEntrySerializer
    pagination_class = None

    def list(self, request, *args, **kwargs):
        user = request.user
        if not (
            user.is_superuser
            or any(coc_ids_with(user, p).exists() for p in audit.AUDIT_PERMISSIONS)
        ):
            raise PermissionDenied("The audit trail is for CoC administrators.")
        limit = min(int(request.query_params.get("limit", 200) or 200), 5000)
        entries = audit.entries(user, kind=request.query_params.get("kind"), limit=limit)
        return Response(AuditEntrySerializer(entries, many=True).data)


PolicyViewSet = build_viewset(specs.POLICY)
PolicyVersionViewSet = build_viewset(specs.POLICY_VERSION)
PolicyAcknowledgementViewSet = build_viewset(specs.POLICY_ACKNOWLEDGEMENT)
RecertificationViewSet = build_viewset(specs.RECERTIFICATION, base=RestrictedReadOnlyModelViewSet)
CourseViewSet = build_viewset(specs.COURSE)
TrainingSessionViewSet = build_viewset(specs.TRAINING_SESSION)
CertificateViewSet = build_viewset(specs.CERTIFICATE)
ConsentViewSet = build_viewset(specs.CONSENT)
CommitteeViewSet = build_viewset(specs.COMMITTEE)
MeetingViewSet = build_viewset(specs.MEETING)
ActionItemViewSet = build_viewset(specs.ACTION_ITEM)
PerformanceGoalViewSet = build_viewset(specs.PERFORMANCE_GOAL)
PerformanceResultViewSet = build_viewset(specs.PERFORMANCE_RESULT)
VendorCheckViewSet = build_viewset(specs.VENDOR_CHECK)
OutreachNoteViewSet = build_viewset(specs.OUTREACH_NOTE)
