"""Scans: set-based, idempotent, one transaction; flags follow the data (fix, regress, accept)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import CaptureQueriesContext

from dataquality.models import Flag, FlagEvent, RuleSetting, Scan
from dataquality.scans import ScanInterrupted, run_scan
from dataquality.testing import HmisBuilder

AS_OF = dt.date(2025, 9, 30)


def scan(demo, agency=None, interrupt_after=None) -> Scan:
    record = Scan.objects.create(coc=demo.xx500, agency=agency, as_of=AS_OF)
    run_scan(record.pk, interrupt_after=interrupt_after)
    record.refresh_from_db()
    return record


@pytest.fixture
def build(demo):
    return HmisBuilder(demo.xx500, demo.agency_a, as_of=AS_OF)


def test_a_clean_record_raises_no_flag(demo, build):
    build.exit(build.enrollment())
    result = scan(demo)
    assert result.status == "succeeded"
    assert {code: n for code, n in result.counts.items() if n} == {}


def test_a_missing_name_is_flagged_and_fixing_it_closes_the_flag(demo, build):
    client = build.client(first_name="", name_data_quality=99)
    build.enrollment(client=client)
    first = scan(demo)
    assert first.counts["NAME_MISSING"] == 1
    flag = Flag.objects.get(rule="NAME_MISSING")
    assert (flag.status, flag.record_type, flag.hud_id) == ("open", "Client", client.personal_id)
    assert flag.agency_id == demo.agency_a.pk
    assert flag.assignee.username == "dqm_a"

    client.first_name, client.name_data_quality = "Ann", 1
    client.save()
    scan(demo)
    flag.refresh_from_db()
    assert flag.status == "fixed"

    client.first_name = ""
    client.save()
    scan(demo)
    flag.refresh_from_db()
    assert flag.status == "open"
    kinds = list(FlagEvent.objects.filter(flag=flag).values_list("kind", flat=True))
    assert kinds == ["found", "fixed", "reopened"]


def test_an_accepted_flag_stays_accepted_while_the_defect_remains(demo, build):
    build.enrollment(disabling_condition=99)
    scan(demo)
    flag = Flag.objects.get(rule="DISABLING_MISSING")
    Flag.objects.filter(pk=flag.pk).update(status="accepted", reason="client declined")
    scan(demo)
    flag.refresh_from_db()
    assert flag.status == "accepted"


def test_a_resolved_flag_found_again_is_reopened(demo, build):
    build.enrollment(disabling_condition=99)
    scan(demo)
    Flag.objects.filter(rule="DISABLING_MISSING").update(status="resolved")
    scan(demo)
    assert Flag.objects.get(rule="DISABLING_MISSING").status == "open"


def test_the_number_of_statements_does_not_grow_with_records(demo, build):
    build.enrollment(disabling_condition=99)
    scan(demo)  # the first scan of a CoC also creates its rule settings and plan
    with CaptureQueriesContext(connection) as small:
        scan(demo)
    for _ in range(6):
        client = build.client(first_name="", name_data_quality=99)
        build.exit(build.enrollment(client=client, disabling_condition=8), destination=99)
    with CaptureQueriesContext(connection) as large:
        scan(demo)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_an_interrupted_scan_leaves_nothing_and_its_retry_equals_an_uninterrupted_one(demo, build):
    client = build.client(sex=99)
    build.exit(build.enrollment(client=client, disabling_condition=8), destination=30)
    reference = scan(demo)
    expected = sorted(Flag.objects.values_list("rule", "hud_id", "status"))
    Flag.objects.all().delete()

    record = Scan.objects.create(coc=demo.xx500, as_of=AS_OF)
    with pytest.raises(ScanInterrupted):
        run_scan(record.pk, interrupt_after=5)
    assert Flag.objects.count() == 0
    record.refresh_from_db()
    assert record.status == "running"  # as a killed worker leaves it

    run_scan(record.pk)  # Celery redelivers the task
    record.refresh_from_db()
    assert record.status == "succeeded"
    assert record.counts == reference.counts
    assert sorted(Flag.objects.values_list("rule", "hud_id", "status")) == expected


def test_a_second_delivery_of_a_finished_scan_does_nothing(demo, build):
    build.enrollment(disabling_condition=99)
    record = scan(demo)
    assert run_scan(record.pk) is None
    assert FlagEvent.objects.count() == 1


def test_a_switched_off_rule_is_not_scanned(demo, build):
    build.enrollment(disabling_condition=99)
    scan(demo)
    RuleSetting.objects.filter(coc=demo.xx500, code="DISABLING_MISSING").update(enabled=False)
    result = scan(demo)
    assert "DISABLING_MISSING" not in result.counts


def test_an_agency_scan_touches_only_that_agencys_flags(demo, build):
    build_b = HmisBuilder(demo.xx500, demo.agency_b, as_of=AS_OF)
    build.enrollment(disabling_condition=99)
    build_b.enrollment(disabling_condition=99)
    scan(demo)
    result = scan(demo, agency=demo.agency_b)
    assert result.counts["DISABLING_MISSING"] == 1
    assert Flag.objects.filter(rule="DISABLING_MISSING", status="open").count() == 2


def test_a_finished_scan_records_its_progress_on_its_row(demo, build):
    build.enrollment(disabling_condition=99)
    result = scan(demo)
    assert result.progress["rules_done"] == result.progress["rules_total"] > 40


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_another_process_sees_the_progress_of_a_running_scan(demo, build, monkeypatch):
    """Web and worker are separate processes: a separate connection reads the scan's row after
    every rule while the scan's own transaction is still open."""
    from dataquality import scans

    build.enrollment(disabling_condition=99)
    record = Scan.objects.create(coc=demo.xx500, as_of=AS_OF)
    observer = type(connections[DEFAULT_DB_ALIAS])(dict(connection.settings_dict), DEFAULT_DB_ALIAS)
    seen = []
    original = scans.ProgressWriter.__call__

    def spy(self, done, total):
        original(self, done, total)
        with observer.cursor() as cursor:
            cursor.execute(
                "SELECT progress, status FROM dataquality_scan WHERE id = %s", [self.scan_id]
            )
            progress, status = cursor.fetchone()
        seen.append((progress if isinstance(progress, dict) else json.loads(progress), status))

    monkeypatch.setattr(scans.ProgressWriter, "__call__", spy)
    try:
        run_scan(record.pk)
    finally:
        observer.close()
    record.refresh_from_db()
    assert record.status == "succeeded"
    total = record.progress["rules_total"]
    assert [p["rules_done"] for p, _ in seen] == list(range(1, total + 1))
    assert {status for _, status in seen} == {"running"}  # seen before the scan committed
