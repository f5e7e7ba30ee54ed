from rest_framework import serializers

from agencies.models import Agency, ContinuumOfCare, Project
from hmis_gov.api.fields import RestrictedPrimaryKeyRelatedField


class ContinuumOfCareSerializer(serializers.ModelSerializer):
    hmis_lead = RestrictedPrimaryKeyRelatedField(
        queryset=Agency.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = ContinuumOfCare
        fields = ["id", "code", "name", "hmis_lead", "is_active", "created", "updated"]
        read_only_fields = ["created", "updated"]

    def validate_hmis_lead(self, agency):
        if agency and self.instance and agency.coc_id != self.instance.pk:
            raise serializers.ValidationError("The HMIS lead must be one of the CoC's agencies.")
        return agency


class AgencySerializer(serializers.ModelSerializer):
    coc = RestrictedPrimaryKeyRelatedField(queryset=ContinuumOfCare.objects.all())
    coc_code = serializers.CharField(source="coc.code", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "coc",
            "coc_code",
            "name",
            "hud_organization_id",
            "participation_status",
            "victim_service_provider",
            "joined_on",
            "is_active",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]


class ProjectSerializer(serializers.ModelSerializer):
    agency = RestrictedPrimaryKeyRelatedField(queryset=Agency.objects.all())
    coc = serializers.IntegerField(source="agency.coc_id", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "agency",
            "coc",
            "name",
            "hud_project_id",
            "project_type",
            "operating_start",
            "operating_end",
            "hmis_participation",
            "continuum_project",
            "is_active",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]

    def validate(self, attrs):
        start = attrs.get("operating_start", getattr(self.instance, "operating_start", None))
        end = attrs.get("operating_end", getattr(self.instance, "operating_end", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"operating_end": ["The operating end date is before the start date."]}
            )
        return attrs
