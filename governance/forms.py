"""Forms with rules beyond field types: uploads, the account gate, tickets, attendance."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from governance import specs
from governance.accounts import check_agency_may_get_accounts
from governance.generic import GovernanceForm, build_form
from governance.models import AccountRequest, Ticket
from governance.uploads import safe_name, validate_document
from roles.models import Role, ScopeType, User


class AgreementForm(build_form(specs.AGREEMENT)):
    upload = forms.FileField(
        label="Signed document",
        required=False,
        help_text="PDF (or a PNG/JPEG scan), at most 10 MB. Stored outside the web site; only "
        "the CoC's keepers and the agency's authorizing agent can download it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.restrict(self.user, "view").filter(is_active=True)
        self.fields["authorizing_agent"].queryset = people.filter(agency__isnull=False)
        self.fields["signatory"].queryset = people.filter(agency__isnull=True)

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.document_kind = validate_document(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        agent = cleaned.get("authorizing_agent")
        if agency and agent and agent.agency_id != agency.pk:
            self.add_error("authorizing_agent", "The authorizing agent must work for the agency.")
        return cleaned

    def save(self, commit=True):
        agreement = super().save(commit=False)
        upload = self.cleaned_data.get("upload")
        if upload:
            agreement.coc_id = agreement.agency.coc_id
            agreement.document_name = safe_name(upload.name)
            agreement.document_type = self.document_kind
            agreement.document.save(upload.name, upload, save=False)
        if commit:
            agreement.save()
        return agreement


def requestable_roles():
    return Role.objects.filter(scope_type=ScopeType.AGENCY).exclude(key="agency_executive")


class AccountRequestForm(build_form(specs.ACCOUNT_REQUEST)):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = requestable_roles().order_by("order")
        self.fields["agency"].queryset = self.fields["agency"].queryset.filter(is_active=True)
        if not self.instance.pk:
            self.fields["role"].initial = (
                requestable_roles().filter(key="agency_program_staff").first()
            )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        taken = User.objects.filter(username__iexact=username)
        if self.instance.user_id:  # an approved request keeps its own account's name
            taken = taken.exclude(pk=self.instance.user_id)
        if taken.exists():
            raise ValidationError("This user name is taken; HUD requires one account per person.")
        return username

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        if agency is not None:
            try:
                check_agency_may_get_accounts(agency)
            except ValidationError as exc:
                self.add_error("agency", exc)
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    password = forms.CharField(
        label="Initial password",
        required=False,
        widget=forms.PasswordInput,
        help_text="Optional: give it to the person in person. Leave empty and they set one "
        "through a password reset once the account is active.",
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, request_obj: AccountRequest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if cleaned.get("decision") == "approve" and password and self.request_obj:
            candidate = User(
                username=self.request_obj.username,
                first_name=self.request_obj.first_name,
                last_name=self.request_obj.last_name,
                email=self.request_obj.email,
            )
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                self.add_error("password", exc)
        if cleaned.get("decision") == "reject" and not cleaned.get("note"):
            self.add_error("note", "Say why the request is rejected; the requester reads it.")
        return cleaned


class TicketForm(GovernanceForm):
    class Meta:
        model = Ticket
        fields = ["coc", "agency", "subject", "description", "queue", "priority"]
        help_texts = {"agency": "The agency the problem concerns, if any."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coc"].required = False
        self.fields["coc"].help_text = "Filled in from the agency when you choose one."

    def clean(self):
        cleaned = super().clean()
        agency, coc = cleaned.get("agency"), cleaned.get("coc")
        if agency:
            if coc and coc.pk != agency.coc_id:
                self.add_error("agency", "The agency belongs to another CoC.")
            cleaned["coc"] = agency.coc
            self.instance.coc = agency.coc
        elif not coc:
            self.add_error("coc", "Choose the CoC (or the agency) the ticket is about.")
        return cleaned


class TicketUpdateForm(GovernanceForm):
    class Meta:
        model = Ticket
        fields = ["status", "priority", "queue", "assignee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = self.fields["assignee"].queryset.filter(
            is_active=True, agency__isnull=True
        )


class CommentForm(forms.Form):
    body = forms.CharField(label="Update", widget=forms.Textarea(attrs={"rows": 3}))


class AttendanceForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Person",
        queryset=User.objects.none(),
        help_text="Inactive accounts waiting for training are listed too.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.restrict(user, "view").order_by(
            "last_name", "first_name"
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
            + ("" if u.is_active else " — inactive")
        )


class RecertifyForm(forms.Form):
    keep = forms.TypedChoiceField(
        choices=[("1", "Keep the account"), ("0", "Disable the account")],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


ConsentForm = build_form(specs.CONSENT)


class ClientConsentForm(ConsentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Client lists are long: the id, checked against what the user may see.
        self.fields["client"].widget = forms.NumberInput()
        self.fields["client"].help_text = "The client's record number in this system."
        self.fields["agency"].queryset = self.fields["agency"].queryset.filter(is_active=True)
        self.fields["shared_with"].help_text = "Only for “Only the agencies listed”."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == "listed" and not cleaned.get("shared_with"):
            self.add_error("shared_with", "List the agencies the client agreed to share with.")
        return cleaned
