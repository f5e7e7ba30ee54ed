"""List counts and filter forms from the cache (hmis_gov.listcache), never stale after a write."""

from __future__ import annotations

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency
from dataquality.models import Flag, Scan
from dataquality.scans import run_scan
from dataquality.testing import HmisBuilder
from hmis.importer import import_export
from hmis.models import Client, Source
from hmis_gov.listcache import tables_changed
from tests import hmis_builder as hb
from tests.factories import AgencyFactory


def counted(api, url: str) -> tuple[int, bool]:
    """The list's ``count`` and whether the request ran a COUNT(*)."""
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    ran = any("COUNT(*)" in q["sql"] for q in queries.captured_queries)
    return response.json()["count"], ran


def test_a_repeated_list_reads_its_count_from_the_cache(list_cache, loaded, api_as):
    api = api_as("cocadmin")
    assert counted(api, reverse("client-list")) == (2, True)
    assert counted(api, reverse("client-list")) == (2, False)
    # Another filter is another count.
    assert counted(api, reverse("client-list") + "?personal_id=nobody") == (0, True)


def test_without_the_cache_every_list_counts(loaded, api_as, settings):
    settings.LIST_COUNT_CACHE_SECONDS = 0
    api = api_as("cocadmin")
    assert counted(api, reverse("client-list")) == (2, True)
    assert counted(api, reverse("client-list")) == (2, True)


def test_each_user_has_the_count_of_their_own_scope(list_cache, loaded, api_as, demo):
    Source.objects.create(coc=demo.xx500, key="hub", name="CoC-wide system")
    run = import_export(io.BytesIO(hb.valid_export()), "XX-500", "hub")
    assert run.status == "succeeded", run.errors
    assert counted(api_as("cocadmin"), reverse("client-list"))[0] == 4
    for user in ("dqm_a", "dqm_b", "staff_a", "cocadmin2"):
        seen = Client.objects.restrict(demo.user(user)).count()
        assert counted(api_as(user), reverse("client-list"))[0] == seen, user
    assert counted(api_as("cocadmin2"), reverse("client-list"))[0] == 0  # another CoC


def test_an_import_refreshes_the_counts_it_changes(list_cache, loaded, api_as, demo):
    api = api_as("cocadmin")
    assert counted(api, reverse("client-list")) == (2, True)
    Source.objects.create(coc=demo.xx500, key="second", name="Second system")
    assert import_export(io.BytesIO(hb.valid_export()), "XX-500", "second").status == "succeeded"
    assert counted(api, reverse("client-list")) == (4, True)


def scan_agency_a(demo, enrollments: int) -> None:
    as_of = dt.date(2025, 9, 30)
    builder = HmisBuilder(demo.xx500, demo.agency_a, as_of=as_of)
    for _ in range(enrollments):
        builder.enrollment(disabling_condition=99)
    run_scan(Scan.objects.create(coc=demo.xx500, as_of=as_of).pk)


def test_scans_and_flag_status_changes_refresh_the_flag_counts(list_cache, demo, api_as):
    scan_agency_a(demo, 2)
    api = api_as("dqm_a")
    url = reverse("dq-flag-list") + "?status=open"
    before, ran = counted(api, url)
    assert before == Flag.objects.filter(agency=demo.agency_a, status="open").count() > 0 and ran
    scan_agency_a(demo, 1)  # a scan writes flags with SQL: it says so
    after_scan = Flag.objects.filter(agency=demo.agency_a, status="open").count()
    assert after_scan > before
    assert counted(api, url) == (after_scan, True)
    flag = Flag.objects.filter(agency=demo.agency_a, status="open").first()
    response = api.patch(
        reverse("dq-flag-detail", args=[flag.pk]), {"status": "in_review"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert counted(api, url) == (after_scan - 1, True)
    assert counted(api, url) == (after_scan - 1, False)


def test_a_bulk_write_says_which_tables_changed(list_cache, loaded, api_as):
    api = api_as("cocadmin")
    assert counted(api, reverse("client-list"))[0] == 2
    Client.objects.filter(personal_id="P1").delete()  # no signal: the count may lag ...
    assert counted(api, reverse("client-list")) == (2, False)
    tables_changed(Client)  # ... until the writer says so (importer, scans)
    assert counted(api, reverse("client-list")) == (1, True)


def test_list_pages_count_through_the_cache_too(list_cache, loaded, web_as):
    web = web_as("cocadmin")
    url = reverse("hmis:client_list")
    with CaptureQueriesContext(connection) as first:
        assert web.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        page = web.get(url)

    def client_counts(queries):
        return [
            q
            for q in queries.captured_queries
            if 'COUNT(*) AS "__count" FROM "hmis_client"' in q["sql"]
        ]

    assert client_counts(first) and not client_counts(second)
    assert "2 found." in page.content.decode()


def test_the_filter_form_is_cached_per_values_and_choices(list_cache, demo, web_as, settings):
    web = web_as("cocadmin")
    url = reverse("dataquality:inbox")
    first = web.get(url).content.decode()
    assert "Agency A" in first or demo.agency_a.name in first
    # Same page again: the same form.
    assert web.get(url).content.decode().count("<option") == first.count("<option")
    # A new agency the user may see is a new choice at once.
    AgencyFactory(coc=demo.xx500, name="Zephyr Outreach", hud_organization_id="ZO")
    assert "Zephyr Outreach" in web.get(url).content.decode()
    # The chosen value shows as selected: the request's values are part of the key.
    chosen = web.get(url + f"?agency={demo.agency_b.pk}").content.decode()
    assert f'<option value="{demo.agency_b.pk}" selected>' in chosen
    # Another user's choices are their own.
    other = web_as("dqm_a").get(url).content.decode()
    assert demo.agency_b.name not in other.split('name="agency"')[1].split("</select>")[0]
    assert Agency.objects.restrict(demo.user("dqm_a")).filter(pk=demo.agency_b.pk).count() == 0


def test_lists_work_without_the_cache(list_cache, loaded, api_as, web_as, monkeypatch):
    from django.core.cache import cache as shared

    def down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    for method in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(shared, method, down)
    assert counted(api_as("cocadmin"), reverse("client-list")) == (2, True)
    assert counted(api_as("cocadmin"), reverse("client-list")) == (2, True)
    page = web_as("cocadmin").get(reverse("dataquality:inbox"))
    assert page.status_code == 200 and 'name="agency"' in page.content.decode()


def page_reads(api, url: str) -> tuple[list, list[str]]:
    """The list's rows and the SQL of the statements that read the client table's rows."""
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "hmis_client"."id", ')
    ]
    return response.json()["results"], reads


def test_a_repeated_page_reads_its_rows_by_key(list_cache, loaded, api_as):
    api = api_as("cocadmin")
    url = reverse("client-list") + "?page_size=1&page=2"
    rows, (first,) = page_reads(api, url)
    assert "OFFSET" in first and '"hmis_client"."id" IN (' not in first
    again, (second,) = page_reads(api, url)
    assert again == rows and len(rows) == 1
    assert "OFFSET" not in second and '"hmis_client"."id" IN (' in second
    # Another page is another key: read by its offset, then kept in turn.
    other, (third,) = page_reads(api, reverse("client-list") + "?page_size=1&page=1")
    assert "LIMIT" in third and '"hmis_client"."id" IN (' not in third
    assert other != rows


def test_a_kept_page_still_applies_the_filters_and_the_restriction(list_cache, demo, api_as):
    scan_agency_a(demo, 3)
    api = api_as("dqm_a")
    url = reverse("dq-flag-list") + "?status=open"
    listed = [row["id"] for row in api.get(url).json()["results"]]
    assert len(listed) >= 3
    # A write without a signal (no version change): the kept page must not show what no
    # longer matches its filter.
    Flag.objects.filter(pk=listed[0]).update(status="in_review")
    again = [row["id"] for row in api.get(url).json()["results"]]
    assert listed[0] not in again and again == listed[1:]
    # The rows are read with the caller's scope: another user's key, never these rows.
    assert api_as("dqm_b").get(url).json()["results"] == []
