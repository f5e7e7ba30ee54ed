import django_filters

from hmis.codes import HMISParticipationType, ProjectType
from hmis_gov.filters import SearchFilterSet, restricted

from .models import Agency, ContinuumOfCare, Project


class ContinuumOfCareFilterSet(SearchFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = ContinuumOfCare
        fields = ["q", "code", "is_active"]


class AgencyFilterSet(SearchFilterSet):
    search_fields = ("name", "hud_organization_id")
    coc = django_filters.ModelChoiceFilter(queryset=restricted(ContinuumOfCare), label="CoC")
    participation_status = django_filters.ChoiceFilter(choices=HMISParticipationType.choices)

    class Meta:
        model = Agency
        fields = ["q", "coc", "participation_status", "victim_service_provider", "is_active"]


class ProjectFilterSet(SearchFilterSet):
    search_fields = ("name", "hud_project_id", "agency__name")
    coc = django_filters.ModelChoiceFilter(
        field_name="agency__coc", queryset=restricted(ContinuumOfCare), label="CoC"
    )
    agency = django_filters.ModelChoiceFilter(queryset=restricted(Agency))
    project_type = django_filters.MultipleChoiceFilter(choices=ProjectType.choices)
    hmis_participation = django_filters.ChoiceFilter(choices=HMISParticipationType.choices)

    class Meta:
        model = Project
        fields = [
            "q",
            "coc",
            "agency",
            "project_type",
            "hmis_participation",
            "continuum_project",
            "is_active",
        ]
