from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationForm

from agencies.forms import DateInput
from hmis_gov.forms import RestrictedModelForm
from roles.grants import can_assign
from roles.models import Role, RoleAssignment, User


class UserForm(RestrictedModelForm):
    password = forms.CharField(
        label="Initial password",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Optional. At least 12 characters with a letter and a number; leave empty to "
        "let the person set one through a reset.",
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "coc",
            "agency",
            "job_title",
            "phone",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("coc") and not cleaned.get("agency"):
            self.add_error("agency", "Choose the agency (or, for CoC staff, the CoC).")
        password = cleaned.get("password")
        if password:
            candidate = User(username=cleaned.get("username", ""))
            try:
                validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        password = self.cleaned_data.get("password")
        if password:
            user.set_password(password)
        elif not user.pk:
            user.set_unusable_password()
        if commit:
            user.save()
        return user


class RoleAssignmentForm(RestrictedModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "coc", "agency", "starts_on", "ends_on", "note"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "coc": "For roles held on the CoC.",
            "agency": "For roles held on one agency.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.order_by("order")
        self.fields["user"].queryset = self.fields["user"].queryset.filter(is_active=True)
        if not self.instance.pk:
            self.fields["starts_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        scope = cleaned.get("agency") or cleaned.get("coc")
        if role and scope and not can_assign(self.user, role, scope):
            raise forms.ValidationError(
                f"You may not assign “{role}” on {scope}. "
                f"It is assigned by: {', '.join(r.name for r in role.assignable_by.all())}."
            )
        return cleaned

    def save(self, commit=True):
        assignment = super().save(commit=False)
        if not assignment.pk:
            assignment.assigned_by = self.user
        if commit:
            assignment.save()
        return assignment


class EndAssignmentForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LoginForm(OTPAuthenticationForm):
    """User name and password, plus a code for people who turned on two-factor authentication."""

    otp_token = forms.CharField(
        required=False,
        label="Authentication code",
        help_text="Only if you turned on two-factor authentication.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        # AuthenticationForm.clean checks the password (django-axes counts failures there); the
        # code is then checked only for people who have a confirmed device.
        cleaned = super(OTPAuthenticationForm, self).clean()
        user = self.get_user()
        if user is not None and user_has_device(user, confirmed=True):
            if not cleaned.get("otp_device"):
                device = user.totpdevice_set.filter(confirmed=True).first()
                cleaned["otp_device"] = device.persistent_id
            self.clean_otp(user)
        return cleaned
