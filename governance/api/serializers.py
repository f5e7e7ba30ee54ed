from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers

from governance import specs
from governance.accounts import check_agency_may_get_accounts
from governance.forms import requestable_roles
from governance.generic import build_serializer
from governance.models import Ticket
from governance.uploads import safe_name, validate_document
from roles.models import User

_AgreementBase = build_serializer(specs.AGREEMENT)


class AgreementSerializer(_AgreementBase):
    """The signed document is uploaded as multipart ``document``; it is never linked directly."""

    document = serializers.FileField(write_only=True, required=False)
    document_url = serializers.SerializerMethodField()

    class Meta(_AgreementBase.Meta):
        fields = [*_AgreementBase.Meta.fields, "document", "document_url"]

    def get_document_url(self, obj) -> str | None:
        if not obj.document:
            return None
        return reverse("agreement-document", args=[obj.pk])

    def validate_document(self, upload):
        try:
            self._document_kind = validate_document(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return upload

    def validate(self, attrs):
        agency = attrs.get("agency", getattr(self.instance, "agency", None))
        agent = attrs.get("authorizing_agent")
        if agency and agent and agent.agency_id != agency.pk:
            raise serializers.ValidationError(
                {"authorizing_agent": ["The authorizing agent must work for the agency."]}
            )
        if agency is not None:
            attrs["coc"] = agency.coc
        return attrs

    def save(self, **kwargs):
        upload = self.validated_data.pop("document", None)
        instance = super().save(**kwargs)
        if upload is not None:
            instance.document_name = safe_name(upload.name)
            instance.document_type = self._document_kind
            instance.document.save(upload.name, upload, save=False)
            instance.save()
        return instance


_AccountBase = build_serializer(specs.ACCOUNT_REQUEST)


class AccountRequestSerializer(_AccountBase):
    def validate_role(self, role):
        if not requestable_roles().filter(pk=role.pk).exists():
            raise serializers.ValidationError("Request an agency role other than the executive.")
        return role

    def validate_username(self, username):
        exists = User.objects.filter(username__iexact=username)
        if self.instance and self.instance.user_id:
            exists = exists.exclude(pk=self.instance.user_id)
        if exists.exists():
            raise serializers.ValidationError("This user name is taken.")
        return username

    def validate_agency(self, agency):
        try:
            check_agency_may_get_accounts(agency)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return agency


class DecisionSerializer(serializers.Serializer):
    password = serializers.CharField(required=False, allow_blank=True, write_only=True)
    note = serializers.CharField(required=False, allow_blank=True)


_TicketBase = build_serializer(specs.TICKET)


class TicketSerializer(_TicketBase):
    class Meta(_TicketBase.Meta):
        # Status and assignee are the helpdesk's: set through PATCH by those who may change.
        extra_kwargs = {"coc": {"required": False}}

    def validate(self, attrs):
        agency = attrs.get("agency")
        if agency is not None:
            attrs["coc"] = agency.coc
        elif not attrs.get("coc") and not self.instance:
            raise serializers.ValidationError({"coc": ["Choose the CoC or the agency."]})
        if not self.instance:
            attrs.pop("status", None)
            attrs.pop("assignee", None)
        return attrs

    def update(self, instance: Ticket, validated_data):
        if "priority" in validated_data and validated_data["priority"] != instance.priority:
            instance.due_at = None
        return super().update(instance, validated_data)


class ComplianceCheckSerializer(serializers.Serializer):
    status = serializers.CharField()
    evidence = serializers.CharField()


class AgencyComplianceSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency.pk")
    agency_name = serializers.CharField(source="agency.name")
    checks = serializers.DictField(child=ComplianceCheckSerializer())
    passes = serializers.IntegerField()
    gaps = serializers.IntegerField()


class AuditEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    action = serializers.CharField()
    kind = serializers.CharField()
    object_id = serializers.IntegerField()
    label = serializers.CharField()
    changes = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
