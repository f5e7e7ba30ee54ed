"""Optional TOTP second factor (django-otp), offered to everyone and urged on administrators.

HUD's baseline asks for a unique user name and a strong password; many CoCs add a second factor
for those who can see every client. A person turns it on here by scanning a QR code and confirming
one code; from then on the log-in form asks for a code as well (``roles.forms.LoginForm``).
"""

from __future__ import annotations

import base64
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views import generic
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

DEVICE_NAME = "Authenticator app"


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def qr_data_uri(device: TOTPDevice) -> str:
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


class TwoFactorView(LoginRequiredMixin, generic.FormView):
    """Turn the second factor on (scan, then confirm a code) or off (confirm a code)."""

    template_name = "roles/two_factor.html"
    form_class = CodeForm

    def pending_device(self) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=self.request.user, name=DEVICE_NAME, confirmed=False
            )
        return device

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enabled = user_has_device(self.request.user, confirmed=True)
        context["enabled"] = enabled
        if not enabled:
            device = self.pending_device()
            context["qr"] = qr_data_uri(device)
            context["secret"] = base64.b32encode(device.bin_key).decode()
        return context

    def form_valid(self, form):
        user = self.request.user
        token = form.cleaned_data["token"].strip()
        if user_has_device(user, confirmed=True):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if not device.verify_token(token):
                form.add_error("token", "That code is not right, or has expired.")
                return self.form_invalid(form)
            TOTPDevice.objects.filter(user=user).delete()
            messages.success(self.request, "Two-factor authentication is off.")
        else:
            device = self.pending_device()
            if not device.verify_token(token):
                form.add_error("token", "That code is not right, or has expired: try the next one.")
                return self.form_invalid(form)
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(self.request, "Two-factor authentication is on.")
        return HttpResponseRedirect(reverse("roles:two_factor"))
