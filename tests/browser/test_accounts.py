"""An account, end to end in a real browser: requested by the agency, approved by the CoC,
inactive until its trainings are recorded, then usable."""

import datetime

from governance.demo import load as load_governance
from governance.models import AccountRequest, TrainingSession
from roles.models import User
from tests.browser.conftest import log_in

PASSWORD = "Harbor-light-2026"


def log_out(page, live_server) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/login/**")


def test_an_account_is_requested_approved_trained_and_then_usable(page, live_demo):
    load_governance(None)
    today = datetime.date.today().isoformat()

    # 1. The agency HMIS administrator requests the account.
    log_in(page, live_demo, "dqm_a")
    page.goto(f"{live_demo.url}/governance/account-requests/add/")
    page.get_by_label("Agency").select_option(label="Agency A — Harbor Light Services")
    page.get_by_label("User name").fill("nhire_a")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Hire")
    page.get_by_label("E-mail").fill("nia.hire@example.org")
    page.get_by_label("User agreement signed on").fill(today)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_demo.url}/governance/account-requests/*/")
    assert "requested" in page.inner_text("main")
    request = AccountRequest.objects.get(username="nhire_a")
    log_out(page, live_demo)

    # 2. The CoC HMIS administrator approves it, with an initial password.
    log_in(page, live_demo, "cocadmin")
    page.goto(f"{live_demo.url}/governance/account-requests/{request.pk}/")
    page.get_by_role("link", name="Approve or reject").click()
    page.get_by_label("Decision").select_option("approve")
    page.get_by_label("Initial password").fill(PASSWORD)
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_url(f"{live_demo.url}/governance/account-requests/{request.pk}/")
    main = page.inner_text("main")
    assert "inactive until trainings" in main
    assert "New-user training not completed" in main
    user = User.objects.get(username="nhire_a")
    assert not user.is_active
    log_out(page, live_demo)

    # 3. The account stays inactive: logging in fails.
    page.get_by_label("User name").fill("nhire_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_demo.url}/login/")

    # 4. The CoC HMIS administrator records both required trainings.
    log_in(page, live_demo, "cocadmin")
    for kind in ("new_user", "privacy_security"):
        session = TrainingSession.objects.get(course__coc__code="XX-500", course__kind=kind)
        page.goto(f"{live_demo.url}/governance/training-sessions/{session.pk}/")
        page.get_by_label("Person who attended").select_option(value=str(user.pk))
        page.get_by_role("button", name="Record attendance").click()
        page.wait_for_url(f"{live_demo.url}/governance/training-sessions/{session.pk}/")
        user.refresh_from_db()
        if kind == "new_user":
            assert not user.is_active  # one training is not enough
    assert "Their account is now active." in page.inner_text("main")
    assert user.is_active
    page.screenshot(path="test-results/account-activated.png", full_page=True)
    log_out(page, live_demo)

    # 5. The new user logs in.
    log_in(page, live_demo, "nhire_a", PASSWORD)
    assert "nhire_a" in page.inner_text("nav")
