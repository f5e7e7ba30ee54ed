"""cocadmin builds a PIT draft, dqm_a verifies Agency A's counts, cocadmin locks it."""

from types import SimpleNamespace

from agencies.models import Agency, ContinuumOfCare
from reports.models import Report
from tests.browser.conftest import log_in
from tests.reports_fixtures import build_scenario

OPEN_CONTEXTS: list = []


def as_user(browser, live_demo, username):
    """A fresh browser context (its own session) logged in as ``username``."""
    context = browser.new_context()
    OPEN_CONTEXTS.append(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_demo, username)
    return page


def test_cocadmin_builds_dqm_a_verifies_cocadmin_locks(browser, live_demo):
    build_scenario(
        SimpleNamespace(
            xx500=ContinuumOfCare.objects.get(code="XX-500"),
            agency_a=Agency.objects.get(hud_organization_id="A"),
            agency_b=Agency.objects.get(hud_organization_id="B"),
        )
    )
    page = as_user(browser, live_demo, "cocadmin")
    page.goto(f"{live_demo.url}/reports/add/")
    page.get_by_label("Kind").select_option("pit")
    page.get_by_label("CoC").select_option(label=str(ContinuumOfCare.objects.get(code="XX-500")))
    page.get_by_label("Harbor Light Emergency Shelter", exact=False).check()
    page.get_by_label("Bridgeway Transitional Housing", exact=False).check()
    page.get_by_label("Night", exact=True).fill("2026-01-28")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_demo.url}/reports/*/")
    assert "5 sheltered persons" in page.locator("#pit-totals").inner_text()
    report_url = page.url

    page = as_user(browser, live_demo, "dqm_a")
    page.goto(report_url)
    row = page.locator("#review-board tr[data-agency='A']")
    row.get_by_label("Comment").fill("Counts match our sign-in sheet.")
    row.get_by_role("button", name="Verify").click()
    assert "Verified" in page.locator("#review-board tr[data-agency='A']").inner_text()
    # dqm_a has no verify form for Agency B's row.
    assert page.locator("#review-board tr[data-agency='B'] form").count() == 0

    page = as_user(browser, live_demo, "cocadmin")
    page.goto(report_url)
    page.get_by_role("button", name="Lock version 1").click()
    assert page.locator("#report-status").get_attribute("data-status") == "locked"
    report = Report.objects.get()
    assert report.status == "locked" and report.versions.get().locked_at is not None
    page.screenshot(path="test-results/pit-workflow.png", full_page=True)
    while OPEN_CONTEXTS:
        OPEN_CONTEXTS.pop().close()
