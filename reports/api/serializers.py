from rest_framework import serializers

from agencies.models import ContinuumOfCare, Project
from hmis_gov.api.fields import RestrictedPrimaryKeyRelatedField
from reports.models import Report, ReportVersion, last_wednesday_of_january


class ReportSerializer(serializers.ModelSerializer):
    """Create a report: kind, CoC, projects, start/end (APR, DQ) or night (PIT, HIC)."""

    coc = RestrictedPrimaryKeyRelatedField(queryset=ContinuumOfCare.objects.all())
    projects = RestrictedPrimaryKeyRelatedField(queryset=Project.objects.all(), many=True)

    class Meta:
        model = Report
        fields = ["id", "kind", "coc", "name", "projects", "start", "end", "night", "status"]
        read_only_fields = ["id", "status"]

    def validate(self, attrs):
        kind, coc = attrs.get("kind"), attrs.get("coc")
        projects = attrs.get("projects") or []
        if not projects:
            raise serializers.ValidationError({"projects": "Choose at least one project."})
        outside = [p.hud_project_id for p in projects if p.agency.coc_id != coc.pk]
        if outside:
            raise serializers.ValidationError(
                {"projects": f"These projects are not in {coc.code}: {', '.join(outside)}."}
            )
        if kind in Report.NIGHT_KINDS:
            if not attrs.get("night"):
                year = attrs.get("end") or attrs.get("start")
                if year is None:
                    raise serializers.ValidationError(
                        {"night": "Give the night to count (YYYY-MM-DD)."}
                    )
                attrs["night"] = last_wednesday_of_january(year.year)
        else:
            start, end = attrs.get("start"), attrs.get("end")
            if not (start and end):
                raise serializers.ValidationError(
                    {"start": "Give the report start and end dates (YYYY-MM-DD)."}
                )
            if start > end:
                raise serializers.ValidationError({"end": "The end must be on or after the start."})
        return attrs


class ReportDetailSerializer(serializers.ModelSerializer):
    tables = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "coc",
            "name",
            "projects",
            "start",
            "end",
            "night",
            "status",
            "unsheltered",
            "version",
            "tables",
            "warnings",
            "created",
            "locked_at",
            "submitted_at",
        ]

    def _version(self, obj) -> ReportVersion | None:
        if not hasattr(obj, "_current"):
            obj._current = obj.current_version()
        return obj._current

    def get_version(self, obj) -> int | None:
        v = self._version(obj)
        return v.number if v else None

    def get_warnings(self, obj) -> list:
        v = self._version(obj)
        return v.warnings if v else []

    def get_tables(self, obj) -> dict:
        """HUD tables keyed by question and cell ({"Q5a": {"B2": 9}}) beside the summaries."""
        v = self._version(obj)
        if v is None:
            return {}
        result = {key: table["cells"] for key, table in v.ordered_tables()}
        result.update(v.api_summary)
        return result


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportVersion
        fields = ["number", "built_at", "locked_at", "diff", "warnings"]


class AnswerSerializer(serializers.Serializer):
    agency = serializers.IntegerField(help_text="An agency of the report's scope.")
    decision = serializers.ChoiceField(choices=["verified", "signed_off", "question"])
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class UnshelteredSerializer(serializers.Serializer):
    persons = serializers.IntegerField(min_value=0)
    households = serializers.IntegerField(min_value=0)
