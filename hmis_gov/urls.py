from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hmis_gov import views
from hmis_gov.health import healthz

api_v1 = [
    path("", include("agencies.api.urls")),
    path("", include("roles.api.urls")),
    path("", include("hmis.api.urls")),
    path("dq/", include("dataquality.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("governance.api.urls")),
]

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("agencies/", include("agencies.urls")),
    path("people/", include("roles.urls")),
    path("records/", include("hmis.urls")),
    path("data-quality/", include("dataquality.urls")),
    path("reports/", include("reports.urls")),
    path("governance/", include("governance.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the CSP needs no inline JS;
    # Swagger UI does inject inline <style> elements, allowed on this page only.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
]
