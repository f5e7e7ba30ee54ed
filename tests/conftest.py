"""Shared fixtures: the demo CoC and its people, and clients logged in as each of them."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from agencies.demo import load_demo
from agencies.models import Agency, ContinuumOfCare, Project
from hmis.importer import import_export
from hmis.models import Source
from roles.models import RoleAssignment, User
from tests import hmis_builder as hb

# Every demo role the permission matrix covers, plus the anonymous visitor.
ROLES = [
    "cocadmin",
    "governance",
    "director_a",
    "dqm_a",
    "staff_a",
    "dqm_b",
    "committee",
    "cocadmin2",
]


@dataclass
class Demo:
    """Handles on the demo objects, by the names the issues and the README use."""

    xx500: ContinuumOfCare
    xx501: ContinuumOfCare
    agency_a: Agency
    agency_b: Agency
    agency_c: Agency
    agency_x: Agency
    project_a: Project  # Agency A's entry/exit emergency shelter
    project_b: Project  # Agency B's PSH
    users: dict[str, User]

    def user(self, name: str) -> User:
        return self.users[name]

    def assignment(self, username: str) -> RoleAssignment:
        return RoleAssignment.objects.get(user__username=username)


@pytest.fixture
def demo(db) -> Demo:
    load_demo()
    agencies = {a.hud_organization_id: a for a in Agency.objects.all()}
    return Demo(
        xx500=ContinuumOfCare.objects.get(code="XX-500"),
        xx501=ContinuumOfCare.objects.get(code="XX-501"),
        agency_a=agencies["A"],
        agency_b=agencies["B"],
        agency_c=agencies["C"],
        agency_x=agencies["X"],
        project_a=Project.objects.get(hud_project_id="A-ES1"),
        project_b=Project.objects.get(hud_project_id="B-PSH"),
        users={u.username: u for u in User.objects.all()},
    )


@pytest.fixture
def api_as(demo):
    """``api_as("dqm_a")``: an API client logged in as that demo user (None: anonymous)."""

    def make(username: str | None) -> APIClient:
        client = APIClient()
        if username:
            client.force_authenticate(demo.user(username))
        return client

    return make


@pytest.fixture
def web_as(demo, client):
    """``web_as("dqm_a")``: the Django test client with that demo user's session."""

    def make(username: str | None):
        client.logout()
        if username:
            client.force_login(demo.user(username))
        return client

    return make


@pytest.fixture
def loaded(demo, tmp_path, settings):
    """Agency A's own source "a-own" holding the valid test export (tests/hmis_builder.py)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    Source.objects.create(coc=demo.xx500, key="a-own", name="Agency A system", agency=demo.agency_a)
    run = import_export(io.BytesIO(hb.valid_export()), "XX-500", "a-own")
    assert run.status == "succeeded", run.errors
    return run


@pytest.fixture
def list_cache(settings):
    """The shared list cache on (tests run with it off: LIST_COUNT_CACHE_SECONDS 0), emptied."""
    from django.core.cache import cache

    settings.LIST_COUNT_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency_flags(demo) -> dict:
    """One flag per agency of XX-500 (A: DISABLING_MISSING, B: DISABLING_DKPNTA), by agency id."""
    import datetime as dt

    from dataquality.models import Flag, Scan
    from dataquality.scans import run_scan
    from dataquality.testing import HmisBuilder

    as_of = dt.date(2025, 9, 30)
    HmisBuilder(demo.xx500, demo.agency_a, as_of=as_of).enrollment(disabling_condition=99)
    HmisBuilder(demo.xx500, demo.agency_b, as_of=as_of).enrollment(disabling_condition=8)
    run_scan(Scan.objects.create(coc=demo.xx500, as_of=as_of).pk)
    return {f.agency_id: f for f in Flag.objects.all()}
