from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("cocs/", views.ContinuumOfCareListView.as_view(), name="coc_list"),
    path("cocs/<int:pk>/", views.ContinuumOfCareView.as_view(), name="coc"),
    path("cocs/<int:pk>/edit/", views.ContinuumOfCareEditView.as_view(), name="coc_edit"),
    path("", views.AgencyListView.as_view(), name="agency_list"),
    path("add/", views.AgencyCreateView.as_view(), name="agency_add"),
    path("<int:pk>/", views.AgencyView.as_view(), name="agency"),
    path("<int:pk>/edit/", views.AgencyEditView.as_view(), name="agency_edit"),
    path("<int:pk>/deactivate/", views.AgencyDeactivateView.as_view(), name="agency_deactivate"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/add/", views.ProjectCreateView.as_view(), name="project_add"),
    path("projects/<int:pk>/", views.ProjectView.as_view(), name="project"),
    path("projects/<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path(
        "projects/<int:pk>/deactivate/",
        views.ProjectDeactivateView.as_view(),
        name="project_deactivate",
    ),
]
