from django.urls import path

from . import views

app_name = "hmis"

urlpatterns = [
    path("imports/", views.ImportRunListView.as_view(), name="import_list"),
    path("imports/upload/", views.ImportUploadView.as_view(), name="import_add"),
    path("imports/<int:pk>/", views.ImportRunView.as_view(), name="import"),
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/add/", views.SourceCreateView.as_view(), name="source_add"),
    path("sources/<int:pk>/", views.SourceView.as_view(), name="source"),
    path("sources/<int:pk>/edit/", views.SourceEditView.as_view(), name="source_edit"),
    path("clients/", views.ClientListView.as_view(), name="client_list"),
    path("clients/<int:pk>/", views.ClientView.as_view(), name="client"),
    path("enrollments/", views.EnrollmentListView.as_view(), name="enrollment_list"),
    path("enrollments/<int:pk>/", views.EnrollmentView.as_view(), name="enrollment"),
    path("candidates/", views.ClientCandidateListView.as_view(), name="candidate_list"),
    path("candidates/<int:pk>/", views.ClientCandidateReviewView.as_view(), name="candidate"),
    path("access-log/", views.PIIAccessLogListView.as_view(), name="access_log"),
    path("export/", views.ExportView.as_view(), name="export"),
]
