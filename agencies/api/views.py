from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies.filtersets import AgencyFilterSet, ContinuumOfCareFilterSet, ProjectFilterSet
from agencies.models import Agency, ContinuumOfCare, Project
from hmis_gov.api.viewsets import DeactivateOnDestroyMixin, RestrictedModelViewSet
from roles.api.serializers import CoverageSerializer
from roles.coverage import coverage_for

from .serializers import AgencySerializer, ContinuumOfCareSerializer, ProjectSerializer


class ContinuumOfCareViewSet(DeactivateOnDestroyMixin, RestrictedModelViewSet):
    queryset = ContinuumOfCare.objects.all()
    serializer_class = ContinuumOfCareSerializer
    filterset_class = ContinuumOfCareFilterSet
    ordering_fields = ["code", "name"]
    search_fields = ["code", "name"]

    @extend_schema(responses=CoverageSerializer, summary="Who does what in this CoC")
    @action(detail=True, methods=["get"])
    def responsibilities(self, request, pk=None):
        """Every responsibility of the seed, the role that carries it, its holders and the gaps."""
        coc = self.get_object()
        return Response(CoverageSerializer(coverage_for(coc, request.user)).data)


class AgencyViewSet(DeactivateOnDestroyMixin, RestrictedModelViewSet):
    queryset = Agency.objects.select_related("coc")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet
    ordering_fields = ["name", "hud_organization_id", "joined_on"]
    search_fields = ["name", "hud_organization_id"]


class ProjectViewSet(DeactivateOnDestroyMixin, RestrictedModelViewSet):
    queryset = Project.objects.select_related("agency")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["name", "hud_project_id", "project_type", "operating_start"]
    search_fields = ["name", "hud_project_id"]
