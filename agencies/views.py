from django.db.models import Count, Q

from hmis_gov import mixins
from roles.coverage import coverage_for

from .filtersets import AgencyFilterSet, ContinuumOfCareFilterSet, ProjectFilterSet
from .forms import AgencyForm, ContinuumOfCareForm, ProjectForm
from .models import Agency, ContinuumOfCare, Project
from .tables import AgencyTable, ContinuumOfCareTable, ProjectTable


class ContinuumOfCareListView(mixins.ObjectListView):
    model = ContinuumOfCare
    queryset = (
        ContinuumOfCare.objects.select_related("hmis_lead")
        .annotate(agency_count=Count("agencies", filter=Q(agencies__is_active=True)))
        .order_by("code")
    )
    filterset_class = ContinuumOfCareFilterSet
    table_class = ContinuumOfCareTable


class ContinuumOfCareView(mixins.ObjectDetailView):
    model = ContinuumOfCare
    queryset = ContinuumOfCare.objects.select_related("hmis_lead")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agencies"] = (
            Agency.objects.restrict(self.request.user)
            .filter(coc=self.object)
            .annotate(project_count=Count("projects"))
        )
        context["coverage"] = coverage_for(self.object, self.request.user)
        return context


class ContinuumOfCareEditView(mixins.ObjectUpdateView):
    model = ContinuumOfCare
    form_class = ContinuumOfCareForm


class AgencyListView(mixins.ObjectListView):
    model = Agency
    queryset = (
        Agency.objects.select_related("coc")
        .annotate(project_count=Count("projects"))
        .order_by("coc__code", "name")
    )
    filterset_class = AgencyFilterSet
    table_class = AgencyTable
    add_url_name = "agencies:agency_add"


class AgencyView(mixins.ObjectDetailView):
    model = Agency
    queryset = Agency.objects.select_related("coc")

    def get_context_data(self, **kwargs):
        from roles.models import RoleAssignment

        context = super().get_context_data(**kwargs)
        context["projects"] = Project.objects.restrict(self.request.user).filter(agency=self.object)
        context["assignments"] = (
            RoleAssignment.objects.restrict(self.request.user)
            .active()
            .filter(agency=self.object)
            .select_related("user", "role")
        )
        return context


class AgencyCreateView(mixins.ObjectCreateView):
    model = Agency
    form_class = AgencyForm


class AgencyEditView(mixins.ObjectUpdateView):
    model = Agency
    form_class = AgencyForm


class AgencyDeactivateView(mixins.ObjectDeactivateView):
    model = Agency


class ProjectListView(mixins.ObjectListView):
    model = Project
    queryset = Project.objects.select_related("agency")
    filterset_class = ProjectFilterSet
    table_class = ProjectTable
    add_url_name = "agencies:project_add"


class ProjectView(mixins.ObjectDetailView):
    model = Project
    queryset = Project.objects.select_related("agency__coc")


class ProjectCreateView(mixins.ObjectCreateView):
    model = Project
    form_class = ProjectForm


class ProjectEditView(mixins.ObjectUpdateView):
    model = Project
    form_class = ProjectForm


class ProjectDeactivateView(mixins.ObjectDeactivateView):
    model = Project
