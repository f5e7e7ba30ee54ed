"""Inside a request the restriction reads the user's grants once and filters by their ids."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency
from roles import querysets
from roles.querysets import held_ids


def permission_subselects(queries) -> list[str]:
    return [q["sql"] for q in queries if "objectpermission" in q["sql"]]


def test_a_request_reads_the_grants_once_and_filters_by_ids(demo, api_as):
    with CaptureQueriesContext(connection) as queries:
        response = api_as("dqm_a").get(reverse("enrollment-list"))
    assert response.status_code == 200
    # One statement reads the grants (a UNION of the CoC and agency permission tables) ...
    grants = permission_subselects(queries.captured_queries)
    assert len(grants) == 1 and "UNION ALL" in grants[0], grants
    # ... and no restricted statement repeats them as a sub-select.
    restricted = [q["sql"] for q in queries.captured_queries if "hmis_enrollment" in q["sql"]]
    assert restricted and not permission_subselects([{"sql": s} for s in restricted])


def test_outside_a_request_the_restriction_reads_the_grants_in_sql(demo):
    user = demo.user("dqm_a")
    assert not isinstance(held_ids(user, "view_agency", "agency"), list)
    with CaptureQueriesContext(connection) as queries:
        seen = list(Agency.objects.restrict(user))
    assert [a.pk for a in seen] == [demo.agency_a.pk]
    assert len(queries.captured_queries) == 1  # grants as a sub-select of the same statement


def test_a_grant_revoked_during_a_request_is_seen_at_once(demo):
    user = demo.user("dqm_a")
    querysets._request_started()
    try:
        assert held_ids(user, "view_agency", "agency") == [demo.agency_a.pk]
        with CaptureQueriesContext(connection) as queries:
            assert Agency.objects.restrict(user).count() == 1
            assert Agency.objects.restrict(user).count() == 1
        assert len(queries.captured_queries) == 2  # the grants were remembered
        demo.assignment("dqm_a").delete()  # revokes (roles.signals -> roles.grants)
        assert held_ids(user, "view_agency", "agency") == []
        assert Agency.objects.restrict(user).count() == 0
    finally:
        querysets._request_finished()
    assert not isinstance(held_ids(user, "view_agency", "agency"), list)


def test_the_memo_is_per_user(demo):
    querysets._request_started()
    try:
        a = held_ids(demo.user("dqm_a"), "view_agency", "agency")
        b = held_ids(demo.user("dqm_b"), "view_agency", "agency")
        assert a == [demo.agency_a.pk] and b == [demo.agency_b.pk]
    finally:
        querysets._request_finished()


# --- Across requests: the grants from the shared cache, dropped when a grant table changes ---


def grant_reads(api, url: str, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == status, response.content
    return len(permission_subselects(queries.captured_queries))


def test_the_next_request_takes_the_grants_from_the_cache(list_cache, demo, api_as):
    api = api_as("dqm_a")
    url = reverse("agency-detail", args=[demo.agency_a.pk])
    assert grant_reads(api, url) == 1
    assert grant_reads(api, url) == 0
    assert grant_reads(api_as("dqm_b"), url, 404) == 1  # another user: their own grants


def test_a_grant_removed_with_guardian_is_not_used_by_the_next_request(list_cache, demo, api_as):
    from guardian.shortcuts import remove_perm

    api = api_as("dqm_a")
    url = reverse("agency-detail", args=[demo.agency_a.pk])
    assert grant_reads(api, url) == 1 and grant_reads(api, url) == 0
    remove_perm("view_agency", demo.user("dqm_a"), demo.agency_a)  # no roles.grants involved
    assert grant_reads(api, url, 404) == 1


def test_a_bulk_delete_of_grants_is_seen_by_the_next_request(list_cache, demo, api_as):
    from agencies.models import AgencyUserObjectPermission

    api = api_as("dqm_a")
    url = reverse("agency-detail", args=[demo.agency_a.pk])
    assert grant_reads(api, url) == 1 and grant_reads(api, url) == 0
    AgencyUserObjectPermission.objects.filter(user=demo.user("dqm_a")).delete()
    assert grant_reads(api, url, 404) == 1


def test_an_ended_role_is_seen_by_the_next_request(list_cache, demo, api_as):
    api = api_as("dqm_a")
    url = reverse("agency-detail", args=[demo.agency_a.pk])
    assert grant_reads(api, url) == 1 and grant_reads(api, url) == 0
    demo.assignment("dqm_a").delete()  # roles.signals -> roles.grants
    assert grant_reads(api, url, 404) == 1


def test_grants_are_read_from_the_database_when_the_cache_is_down(
    list_cache, demo, api_as, monkeypatch
):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    for method in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(cache, method, down)
    api = api_as("dqm_a")
    url = reverse("agency-detail", args=[demo.agency_a.pk])
    assert grant_reads(api, url) == 1 and grant_reads(api, url) == 1
