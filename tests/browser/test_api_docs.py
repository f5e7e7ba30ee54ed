"""The API docs page renders from local files under the content security policy."""

from tests.browser.conftest import log_in


def test_the_api_docs_render_under_the_csp(page, live_demo):
    log_in(page, live_demo, "cocadmin")
    page.goto(f"{live_demo.url}/api/docs/")
    page.locator(".opblock-tag").first.wait_for(timeout=30000)
    assert page.get_by_text("HMIS Governance API").first.is_visible()
    # Which paths are listed is tested on the schema itself (tests/test_api_schema.py); the page
    # fixture fails the test if the CSP blocked anything on the way.
