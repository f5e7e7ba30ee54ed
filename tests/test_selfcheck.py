"""Self-checks: every route is restricted and has a row in the permission matrix."""

from django.apps import apps
from django.urls import path
from django.views import generic
from rest_framework import routers, viewsets

from agencies.api.serializers import AgencySerializer
from agencies.models import Agency
from tests.matrix import INTERNAL_MODELS, ROWS
from tests.selfcheck import NOT_RESTRICTED, app_routes, unrestricted, view_models


def test_every_view_goes_through_the_restriction():
    assert unrestricted() == []


def test_a_view_without_restrict_is_caught():
    class LeakyAgencyList(generic.ListView):
        model = Agency  # no restrict(): would list every tenant's agencies

    class LeakyAgencyViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = Agency.objects.all()
        serializer_class = AgencySerializer

    router = routers.SimpleRouter()
    router.register("leaky-agencies", LeakyAgencyViewSet, basename="leaky-agency")
    patterns = [path("leaky/", LeakyAgencyList.as_view(), name="leaky"), *router.urls]

    assert unrestricted(patterns) == ["leaky", "leaky-agency-detail", "leaky-agency-list"]


def test_every_route_has_a_row_in_the_permission_matrix():
    covered = {row.route for row in ROWS}
    routes = {route.name for route in app_routes() if route.name}
    exempt = {"api-root", "schema", "api-docs", "login", "logout", "healthz"}
    assert sorted(routes - covered - exempt) == []


def test_the_allowlist_names_only_real_routes():
    routes = {route.name for route in app_routes()}
    assert set(NOT_RESTRICTED) <= routes


def test_every_tenant_model_is_served_by_a_restricted_view():
    served = view_models()
    tenant_models = [
        model
        for model in apps.get_models()
        if hasattr(model, "restriction") and not model._meta.label.startswith("simple_history")
    ]
    missing = [
        model._meta.label
        for model in tenant_models
        if model not in served and model._meta.label not in INTERNAL_MODELS
    ]
    assert missing == [], (
        "These tenant models are served by no restricted view: serve them, or declare why in "
        "INTERNAL_MODELS of your tests/matrix/<app>.py"
    )
