"""Logging in, tokens, lockout, password rules and automatic logoff (HUD security baseline)."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.demo import DEMO_PASSWORD, DEMO_USERS
from roles.models import User


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_demo_user_can_log_in_with_the_demo_password(demo, client, username):
    response = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].username == username
    assert f"Signed in as <strong>{username}</strong>" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(demo, client):
    response = client.post(reverse("login"), {"username": "dqm_a", "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


def test_repeated_failures_lock_the_account_out(demo, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "dqm_a", "password": "wrong-guess-1"})
    response = client.post(reverse("login"), {"username": "dqm_a", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    # Another person at the same shelter (same IP) can still log in.
    ok = client.post(reverse("login"), {"username": "staff_a", "password": DEMO_PASSWORD})
    assert ok.status_code == 302


def test_a_token_is_issued_for_a_user_name_and_password(demo):
    client = APIClient()
    response = client.post(
        reverse("auth-token"), {"username": "dqm_a", "password": DEMO_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    agencies = client.get(reverse("agency-list")).json()
    assert [a["hud_organization_id"] for a in agencies["results"]] == ["A"]


def test_a_token_is_refused_for_a_wrong_password_with_a_json_error(demo):
    response = APIClient().post(
        reverse("auth-token"), {"username": "dqm_a", "password": "wrong"}, format="json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_an_inactive_account_gets_no_token(demo):
    User.objects.filter(username="dqm_a").update(is_active=False)
    response = APIClient().post(
        reverse("auth-token"), {"username": "dqm_a", "password": DEMO_PASSWORD}, format="json"
    )
    assert response.status_code == 401


def test_the_api_without_credentials_answers_401(db):
    response = APIClient().get(reverse("agency-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1", "at least 12 characters"),
        ("onlylettersherefine", "at least one letter and one number"),
        ("Hmis-governance-2026", "must not contain your user name or the system"),
        ("2026-sdrawkcab-simh", "must not contain your user name or the system"),
        ("jdoe-2026-password", "must not contain your user name"),
    ],
)
def test_weak_passwords_are_refused(password, problem):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, User(username="jdoe"))
    assert any(problem in message for message in exc.value.messages)


def test_a_strong_password_is_accepted():
    validate_password("blue-Harbor-lantern-74", User(username="jdoe"))


def test_sessions_expire_after_the_idle_timeout(demo, client):
    client.force_login(demo.user("dqm_a"))
    client.get(reverse("dashboard"))
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 1800
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-idle-timeout="1800"' in page


def test_logging_out_ends_the_session(demo, client):
    client.force_login(demo.user("dqm_a"))
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302
