from django.urls import path

from . import views

app_name = "dataquality"

urlpatterns = [
    path("", views.FlagListView.as_view(), name="inbox"),
    path("flags/<int:pk>/", views.FlagView.as_view(), name="flag"),
    path("scans/", views.ScanListView.as_view(), name="scan_list"),
    path("scans/<int:pk>/", views.ScanView.as_view(), name="scan"),
    path("scorecard/", views.ScorecardView.as_view(), name="scorecard"),
    path("rules/", views.RuleSettingListView.as_view(), name="rule_list"),
    path("rules/<int:pk>/edit/", views.RuleSettingEditView.as_view(), name="rule_edit"),
    path("plans/<int:coc>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
]
