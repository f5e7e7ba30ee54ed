from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("rules", views.RuleSettingViewSet, basename="dq-rule")
router.register("scans", views.ScanViewSet, basename="dq-scan")
router.register("flags", views.FlagViewSet, basename="dq-flag")
router.register("scorecards", views.ScorecardViewSet, basename="dq-scorecard")
router.register("plans", views.DataQualityPlanViewSet, basename="dq-plan")
router.register("flag-events", views.FlagEventViewSet, basename="dq-flag-event")

urlpatterns = router.urls
