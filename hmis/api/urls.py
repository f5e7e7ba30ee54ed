import re

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("imports", views.ImportRunViewSet, basename="hmis-import")
router.register("sources", views.SourceViewSet, basename="hmis-source")
router.register("clients", views.ClientViewSet, basename="client")
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")
router.register("client-candidates", views.ClientCandidateViewSet, basename="client-candidate")
router.register("pii-access-log", views.PIIAccessLogViewSet, basename="pii-access")


def kebab(name: str) -> str:
    name = name.replace("CoC", "Coc")
    return re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", name).lower()


# Every other HUD file: /api/v1/hmis/<file>/ (e.g. hmis/exit, hmis/income-benefits).
for file, viewset in views.RECORD_VIEWSETS.items():
    router.register(f"hmis/{kebab(file)}", viewset, basename=f"hmis-{kebab(file)}")

urlpatterns = router.urls
