from __future__ import annotations

from rest_framework import serializers

from agencies.models import Agency, ContinuumOfCare
from hmis_gov.api.fields import RestrictedPrimaryKeyRelatedField

from ..models import DataQualityPlan, Flag, FlagEvent, RuleSetting, Scan, ScanResult
from ..rules import RULES


class RuleSettingSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    hud_reference = serializers.SerializerMethodField()
    severity = serializers.SerializerMethodField()
    record_type = serializers.SerializerMethodField()
    how_to_fix = serializers.SerializerMethodField()
    default_threshold = serializers.SerializerMethodField()

    class Meta:
        model = RuleSetting
        fields = [
            "id", "coc", "code", "title", "category", "record_type", "hud_reference", "severity",
            "enabled", "threshold", "default_threshold", "how_to_fix",
        ]  # fmt: skip
        read_only_fields = ["coc", "code"]

    def _rule(self, obj):
        return RULES[obj.code]

    def get_title(self, obj) -> str:
        return self._rule(obj).title

    def get_category(self, obj) -> str:
        return self._rule(obj).category

    def get_hud_reference(self, obj) -> str:
        return self._rule(obj).hud_reference

    def get_severity(self, obj) -> str:
        return self._rule(obj).severity

    def get_record_type(self, obj) -> str:
        return self._rule(obj).record_type

    def get_how_to_fix(self, obj) -> str:
        return self._rule(obj).how_to_fix

    def get_default_threshold(self, obj) -> int | None:
        return self._rule(obj).default_threshold

    def validate_threshold(self, value):
        rule = RULES[self.instance.code] if self.instance else None
        if value is not None and rule is not None and rule.default_threshold is None:
            raise serializers.ValidationError("This rule has no threshold to set.")
        return value


class ScanSerializer(serializers.ModelSerializer):
    coc = RestrictedPrimaryKeyRelatedField(queryset=ContinuumOfCare.objects.all(), required=False)
    agency = RestrictedPrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Scan
        fields = [
            "id", "coc", "agency", "status", "as_of", "progress", "counts", "error", "attempts",
            "trigger", "created", "started", "finished",
        ]  # fmt: skip
        read_only_fields = [f for f in fields if f not in ("coc", "agency", "as_of")]
        extra_kwargs = {"as_of": {"required": False}}

    def get_progress(self, obj) -> dict:
        from ..scans import live_progress

        return live_progress(obj)

    def validate(self, attrs):
        coc, agency = attrs.get("coc"), attrs.get("agency")
        if bool(coc) == bool(agency):
            raise serializers.ValidationError(
                'Give either "coc" (scan the whole CoC) or "agency" (scan one agency).'
            )
        if agency is not None:
            attrs["coc"] = agency.coc
        return attrs


class FlagSerializer(serializers.ModelSerializer):
    # null: a flag or a row on a client or a whole agency has no project.
    project = serializers.IntegerField(source="hmis_project_id", read_only=True, allow_null=True)
    # A method, not a dotted source with a default: DRF skips a default in a PATCH's answer.
    project_name = serializers.SerializerMethodField()
    severity = serializers.CharField(source="severity_label", read_only=True)
    title = serializers.SerializerMethodField()
    how_to_fix = serializers.SerializerMethodField()
    reason = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Flag
        fields = [
            "id", "rule", "title", "severity", "status", "reason", "coc", "agency", "project",
            "project_name", "record_type", "hud_id", "personal_id", "assignee", "first_found",
            "last_found", "status_changed", "how_to_fix",
        ]  # fmt: skip
        read_only_fields = [f for f in fields if f not in ("status", "reason")]

    def get_title(self, obj) -> str:
        rule = RULES.get(obj.rule)
        return rule.title if rule else obj.rule

    def get_how_to_fix(self, obj) -> str:
        rule = RULES.get(obj.rule)
        return rule.how_to_fix if rule else ""

    def get_project_name(self, obj) -> str:
        return obj.hmis_project.project_name if obj.hmis_project_id else ""


class FlagEventSerializer(serializers.ModelSerializer):
    # null: events the scans write (found, fixed, reopened) have no user.
    user = serializers.CharField(
        source="user.username", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = FlagEvent
        fields = ["id", "kind", "from_status", "to_status", "text", "user", "scan_id", "created"]
        read_only_fields = ["id", "kind", "from_status", "to_status", "user", "scan_id", "created"]


class ScanResultSerializer(serializers.ModelSerializer):
    # null: the row of a whole agency (or CoC) has no project.
    project = serializers.IntegerField(source="hmis_project_id", read_only=True, allow_null=True)
    rate = serializers.SerializerMethodField()

    class Meta:
        model = ScanResult
        fields = [
            "id",
            "scan",
            "rule",
            "category",
            "agency",
            "project",
            "records",
            "flagged",
            "rate",
        ]

    def get_rate(self, obj) -> float | None:
        return round(obj.flagged / obj.records, 4) if obj.records else None


class DataQualityPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataQualityPlan
        fields = [
            "id", "coc", "max_pii_pct", "max_ude_pct", "max_income_housing_pct", "max_chronic_pct",
            "max_inactive_pct", "max_integrity_pct", "min_timely_pct", "timely_days",
            "overdue_days", "scan_enabled", "scan_time", "updated",
        ]  # fmt: skip
        read_only_fields = ["coc", "updated"]
