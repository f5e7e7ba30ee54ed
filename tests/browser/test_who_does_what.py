"""A CoC HMIS administrator closes a gap on the who-does-what page, in a real browser."""

from tests.browser.conftest import log_in


def test_cocadmin_assigns_a_role_and_the_gap_disappears(page, live_demo):
    log_in(page, live_demo, "cocadmin")
    page.get_by_role("link", name="Who does what").first.click()
    gap = page.locator("li[data-gap='agency_role_missing']", has_text="Agency C")
    assert gap.count() == 1
    assert "has no designated Agency HMIS administrator" in gap.inner_text()

    gap.get_by_role("link", name="Assign").click()
    page.get_by_label("Person").select_option(label="staff_c")
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(f"{live_demo.url}/people/who-does-what/**")
    assert page.locator("li[data-gap='agency_role_missing']", has_text="Agency C").count() == 0
    section = page.locator("section", has=page.locator("#role-agency_hmis_admin"))
    assert "Chris Park" in section.inner_text()
    page.screenshot(path="test-results/who-does-what.png", full_page=True)
