"""A lookup by id skips the list filters only when the query string is empty (hmis_gov.api)."""

from __future__ import annotations

import pytest


@pytest.fixture
def flag(demo, agency_flags):
    return agency_flags[demo.agency_a.pk]


def test_a_detail_with_a_filter_that_excludes_it_still_answers_404(demo, api_as, flag):
    api = api_as("dqm_a")
    assert flag.status == "open"
    assert api.get(f"/api/v1/dq/flags/{flag.pk}/").status_code == 200
    assert api.get(f"/api/v1/dq/flags/{flag.pk}/?status=open").status_code == 200
    assert api.get(f"/api/v1/dq/flags/{flag.pk}/?status=resolved").status_code == 404


def test_a_plain_detail_is_still_restricted(demo, api_as, flag):
    assert api_as("dqm_b").get(f"/api/v1/dq/flags/{flag.pk}/").status_code == 404
    assert api_as(None).get(f"/api/v1/dq/flags/{flag.pk}/").status_code in (401, 403)


def test_a_plain_detail_builds_no_filter_form(demo, api_as, flag, monkeypatch):
    from django_filters import rest_framework as filters

    built = []
    original = filters.DjangoFilterBackend.get_filterset

    def spy(self, request, queryset, view):
        built.append(view.action)
        return original(self, request, queryset, view)

    monkeypatch.setattr(filters.DjangoFilterBackend, "get_filterset", spy)
    api = api_as("dqm_a")
    assert api.get(f"/api/v1/dq/flags/{flag.pk}/").status_code == 200
    assert built == []
    assert api.get(f"/api/v1/dq/flags/{flag.pk}/?status=open").status_code == 200
    assert api.get("/api/v1/dq/flags/").status_code == 200
    assert built == ["retrieve", "list"]
