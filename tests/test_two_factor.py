"""Optional TOTP second factor: off by default, then required at log-in once turned on."""

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.demo import DEMO_PASSWORD


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_without_a_device_the_password_is_enough(demo, client):
    response = client.post(reverse("login"), {"username": "cocadmin", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_turning_it_on_needs_a_code_from_the_scanned_key(demo, client):
    client.force_login(demo.user("cocadmin"))
    page = client.get(reverse("roles:two_factor"))
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user__username="cocadmin", confirmed=False)

    wrong = client.post(reverse("roles:two_factor"), {"token": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()

    client.post(reverse("roles:two_factor"), {"token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed


def test_once_on_the_log_in_asks_for_a_valid_code(demo, client):
    device = TOTPDevice.objects.create(user=demo.user("cocadmin"), name="app", confirmed=True)
    form = {"username": "cocadmin", "password": DEMO_PASSWORD}

    without = client.post(reverse("login"), form)
    assert without.status_code == 200
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("login"), {**form, "otp_token": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session

    right = client.post(reverse("login"), {**form, "otp_token": current_code(device)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(demo.user("cocadmin").pk)


def test_turning_it_off_needs_a_current_code(demo, client):
    device = TOTPDevice.objects.create(user=demo.user("dqm_a"), name="app", confirmed=True)
    client.force_login(demo.user("dqm_a"))
    client.post(reverse("roles:two_factor"), {"token": "999999"})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    client.post(reverse("roles:two_factor"), {"token": current_code(device)})
    assert not TOTPDevice.objects.filter(user=device.user).exists()
