"""Walks the URL configuration to prove that every view goes through the restriction."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from hmis_gov.api.viewsets import RestrictedViewSetMixin
from hmis_gov.mixins import RestrictedQuerysetMixin

# Views that serve no tenant data, or build every queryset with ``restrict`` themselves.
# Each entry says why; adding a view here is a decision a reviewer must see.
NOT_RESTRICTED = {
    "login": "the log-in form",
    "logout": "ends the session",
    "healthz": "database and broker status only",
    "schema": "the OpenAPI description, no data",
    "api-docs": "the API docs page, no data",
    "api-root": "the router's index of links",
    "auth-token": "exchanges a password for a token",
    "dashboard": "every queryset on it goes through restrict(); see hmis_gov/views.py",
    "roles:my_responsibilities": "redirects to the first CoC from restrict()",
    "roles:role_list": "the role catalogue, the same for everybody",
    "roles:two_factor": "the user's own second factor; no tenant data",
    "role-list": "the role catalogue, the same for everybody",
    "role-detail": "the role catalogue, the same for everybody",
}


@dataclass
class Route:
    name: str
    view: type | None
    pattern: str


def view_class(callback) -> type | None:
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None)


def walk(patterns, prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin: staff only, guarded by its own permission checks
            inner_ns = namespace
            if entry.namespace:
                inner_ns = f"{namespace}{entry.namespace}:"
            routes += walk(entry.url_patterns, prefix + str(entry.pattern), inner_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            routes.append(Route(name, view_class(entry.callback), prefix + str(entry.pattern)))
    return routes


def app_routes(patterns=None) -> list[Route]:
    return walk(patterns if patterns is not None else get_resolver().url_patterns)


def is_restricted(view: type | None) -> bool:
    return view is not None and issubclass(view, RestrictedQuerysetMixin | RestrictedViewSetMixin)


def unrestricted(patterns=None) -> list[str]:
    """Routes whose view does not go through the restriction and is not on the allowlist."""
    return sorted(
        {
            route.name or route.pattern
            for route in app_routes(patterns)
            if not is_restricted(route.view) and route.name not in NOT_RESTRICTED
        }
    )


def view_models(patterns=None) -> set:
    """Models served by some view or viewset of the URL configuration."""
    models = set()
    for route in app_routes(patterns):
        view = route.view
        if view is None:
            continue
        for attr in ("model", "queryset"):
            value = getattr(view, attr, None)
            model = getattr(value, "model", value) if attr == "queryset" else value
            if isinstance(model, type):
                models.add(model)
    return models
