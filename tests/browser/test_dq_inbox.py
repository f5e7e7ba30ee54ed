"""dqm_a's data-quality loop in a real browser: inbox → flag → resolve with a comment → next scan
moves the scorecard (issue 5, "Must show": the browser test)."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, ContinuumOfCare
from dataquality.models import Flag, FlagEvent, Scan
from dataquality.scans import run_scan
from dataquality.testing import HmisBuilder

from .conftest import log_in


def flagged_on_scorecard(page, base: str, agency: Agency, code: str) -> int:
    page.goto(f"{base}/data-quality/scorecard/?agency={agency.pk}")
    return int(page.locator(f'tr[data-rule="{code}"] td.flagged').inner_text())


def test_dqm_a_resolves_a_flag_with_a_comment_and_the_next_scan_moves_the_scorecard(
    live_demo, page
):
    coc = ContinuumOfCare.objects.get(code="XX-500")
    agency_a = Agency.objects.get(coc=coc, hud_organization_id="A")
    build = HmisBuilder(coc, agency_a, as_of=timezone.localdate())
    client = build.client(first_name="", last_name="", name_data_quality=99)
    build.enrollment(client=client)
    nightly = Scan.objects.create(coc=coc, as_of=timezone.localdate(), trigger="nightly")
    run_scan(nightly.pk)  # last night's scan found the missing name
    base = live_demo.url

    log_in(page, live_demo, "dqm_a")
    before = flagged_on_scorecard(page, base, agency_a, "NAME_MISSING")
    assert before >= 1

    # The inbox, narrowed to the client; the row opens the flag with what is wrong and the fix.
    page.goto(f"{base}/data-quality/?personal_id={client.personal_id}")
    row = page.locator("tbody tr", has_text=client.personal_id).filter(has_text="NAME_MISSING")
    row.get_by_role("link", name="NAME_MISSING").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Name missing")
    expect(page.get_by_text("Enter the first and last name")).to_be_visible()
    expect(page.locator("#flag-status")).to_have_text("Open")

    # The case worker entered the name in HMIS (the next import brings it); dqm_a resolves.
    client.first_name, client.last_name, client.name_data_quality = "Ann", "Lee", 1
    client.save(update_fields=["first_name", "last_name", "name_data_quality"])
    page.get_by_label("Status").select_option("resolved")
    page.get_by_label("Comment").fill("Name entered from the intake form.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#flag-status")).to_have_text("Resolved")
    expect(page.get_by_text("Name entered from the intake form.")).to_be_visible()
    flag = Flag.objects.get(rule="NAME_MISSING", hud_id=client.personal_id)
    assert flag.status == "resolved"
    assert FlagEvent.objects.filter(flag=flag, kind="comment", user__username="dqm_a").exists()

    # Nothing moves before a scan: the scorecard reports scans, not intentions.
    assert flagged_on_scorecard(page, base, agency_a, "NAME_MISSING") == before

    # dqm_a starts the next scan of Agency A from the scans page (Celery runs eagerly in tests).
    page.goto(f"{base}/data-quality/scans/")
    page.get_by_label("or one agency").select_option(str(agency_a.pk))
    page.get_by_role("button", name="Start scan").click()
    expect(page).to_have_url(re.compile(r"/data-quality/scans/\d+/$"))
    latest = Scan.objects.filter(agency=agency_a).latest("pk")
    assert latest.status == "succeeded", latest.error

    assert flagged_on_scorecard(page, base, agency_a, "NAME_MISSING") == before - 1
    flag.refresh_from_db()
    assert flag.status == "fixed"  # the scan confirmed the fix
