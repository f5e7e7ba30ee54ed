from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.register("cocs", views.ContinuumOfCareViewSet, basename="coc")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("projects", views.ProjectViewSet, basename="project")

urlpatterns = router.urls
