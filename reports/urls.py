from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("add/", views.ReportCreateView.as_view(), name="report_add"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path("<int:pk>/do/<slug:action>/", views.ReportActionView.as_view(), name="report_action"),
    path("<int:pk>/cells/<str:table>/<str:cell>/", views.CellView.as_view(), name="report_cell"),
    path("<int:pk>/export.<str:fmt>", views.ExportView.as_view(), name="report_export"),
]
