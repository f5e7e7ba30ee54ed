"""Serializers of the hmis API. Client PII goes out only to those allowed, and is logged."""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import Agency, ContinuumOfCare
from hmis.models import Client, ClientCandidate, Enrollment, ImportRun, PIIAccessLog, Source
from hmis_gov.api.fields import RestrictedPrimaryKeyRelatedField


class SourceSerializer(serializers.ModelSerializer):
    """A vendor system feeding the CoC; the CoC HMIS administrator registers it."""

    coc = RestrictedPrimaryKeyRelatedField(queryset=ContinuumOfCare.objects.all())
    agency = RestrictedPrimaryKeyRelatedField(
        queryset=Agency.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Source
        fields = ["id", "coc", "key", "name", "agency", "software_name", "is_active", "created"]
        read_only_fields = ["id", "created"]
        validators = []  # the (coc, key) uniqueness is checked below with a clearer message

    def validate(self, attrs):
        coc = attrs.get("coc", getattr(self.instance, "coc", None))
        agency = attrs.get("agency", getattr(self.instance, "agency", None))
        key = attrs.get("key", getattr(self.instance, "key", None))
        if agency is not None and agency.coc_id != coc.pk:
            raise serializers.ValidationError({"agency": [f"{agency} is not in {coc.code}."]})
        clash = Source.objects.filter(coc=coc, key=key)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"key": [f"{coc.code} already has a source with the key {key!r}."]}
            )
        return attrs


class ImportRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRun
        fields = [
            "id",
            "status",
            "csv_version",
            "counts",
            "errors",
            "warnings",
            "coc",
            "source",
            "original_name",
            "size",
            "export_period_type",
            "export_directive",
            "hash_status",
            "progress",
            "notes",
            "created",
            "started",
            "finished",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    """``file``, ``coc`` (id or code) and ``source`` (id or key in that CoC)."""

    file = serializers.FileField()
    coc = serializers.CharField()
    source = serializers.CharField()


class ClientSerializer(serializers.ModelSerializer):
    """Names, SSN (masked) and DOB are null unless ``context["pii_ids"]`` holds the client."""

    first_name = serializers.SerializerMethodField()
    last_name = serializers.SerializerMethodField()
    ssn = serializers.SerializerMethodField()
    dob = serializers.SerializerMethodField()
    pii_visible = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = [
            "id",
            "coc",
            "source",
            "personal_id",
            "pii_visible",
            "first_name",
            "last_name",
            "ssn",
            "dob",
            "name_data_quality",
            "ssn_data_quality",
            "dob_data_quality",
            "sex",
            "veteran_status",
            "date_updated",
            "date_deleted",
        ]

    def _ok(self, obj) -> bool:
        return obj.pk in self.context.get("pii_ids", set())

    def get_pii_visible(self, obj) -> bool:
        return self._ok(obj)

    def get_first_name(self, obj) -> str | None:
        return obj.first_name if self._ok(obj) else None

    def get_last_name(self, obj) -> str | None:
        return obj.last_name if self._ok(obj) else None

    def get_ssn(self, obj) -> str | None:
        return obj.ssn_masked if self._ok(obj) else None

    def get_dob(self, obj) -> str | None:
        return obj.dob.isoformat() if self._ok(obj) and obj.dob else None


class EnrollmentSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.project_name", read_only=True)
    project_type = serializers.IntegerField(source="project.project_type", read_only=True)
    exit_date = serializers.SerializerMethodField()
    destination = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "coc",
            "source",
            "agency",
            "enrollment_id",
            "personal_id",
            "client",
            "project",
            "hud_project_id",
            "project_name",
            "project_type",
            "household_id",
            "relationship_to_hoh",
            "entry_date",
            "move_in_date",
            "living_situation",
            "disabling_condition",
            "exit_date",
            "destination",
            "date_updated",
            "date_deleted",
        ]

    def _exit(self, obj):
        try:
            return obj.exit
        except Enrollment.exit.RelatedObjectDoesNotExist:
            return None

    def get_exit_date(self, obj) -> str | None:
        exit_ = self._exit(obj)
        return exit_.exit_date.isoformat() if exit_ else None

    def get_destination(self, obj) -> int | None:
        exit_ = self._exit(obj)
        return exit_.destination if exit_ else None


class ClientCandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientCandidate
        fields = ["id", "coc", "client", "other", "rule", "status", "reviewed_by", "reviewed_at"]
        read_only_fields = fields


class PIIAccessLogSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = PIIAccessLog
        fields = ["id", "at", "user", "coc", "agency", "client", "source", "personal_id", "where"]
        read_only_fields = fields


def record_serializer(model):
    """A read-only serializer of every HUD column of ``model`` plus its keys and links."""
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "exclude": [
                f
                for f in (
                    "ssn_encrypted",
                    "ssn_invalid",
                    "match_name",
                    "match_ssn",
                    "match_ssn4",
                )
                if hasattr(model, f)
            ]
            or None,
        },
    )
    if meta.exclude is None:
        del meta.exclude
        meta.fields = "__all__"
    # "HudProjectRecord" etc.: schema component names must not clash with agencies.Project.
    return type(
        f"Hud{model.__name__}RecordSerializer", (serializers.ModelSerializer,), {"Meta": meta}
    )
