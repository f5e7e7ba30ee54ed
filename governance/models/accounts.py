from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

from .base import GovernanceModel, user_fk

ACCOUNT_PERMS = {
    "view": ("manage_users", "manage_users"),
    "add": ("manage_users", "manage_users"),
    "change": ("manage_users", "manage_users"),
    "delete": ("manage_users", "manage_users"),
    # Only the CoC HMIS administrator approves a new account.
    "approve": ("manage_users", None),
}


class AccountRequest(GovernanceModel):
    """A request, by the agency HMIS administrator, for a staff member's HMIS account.

    Approved by the CoC HMIS administrator, which creates the account inactive; it becomes
    active only when the required trainings are complete and the user agreement is signed
    (``governance.accounts.refresh_account``).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved — waiting for training and user agreement")
        ACTIVE = "active", _("active")
        REJECTED = "rejected", _("rejected")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="account_requests"
    )
    requested_by = user_fk(_("requested by"))
    username = models.CharField(_("user name"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    role = models.ForeignKey(
        "roles.Role",
        verbose_name=_("role"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The role the person will hold in the agency once approved."),
    )
    justification = models.TextField(_("why the person needs access"), blank=True)
    user_agreement_signed_on = models.DateField(
        _("user agreement signed on"),
        null=True,
        blank=True,
        help_text=_("The date on the person's signed end-user agreement (kept by the agency)."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = user_fk(_("decided by"))
    decided_on = models.DateTimeField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    activated_on = models.DateTimeField(_("activated on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_request",
    )

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("agency__coc",), agency=("agency",), perms=ACCOUNT_PERMS, self_lookup="user"
    )

    class Meta:
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.username})"

    def get_absolute_url(self) -> str:
        return reverse("governance:account_request", args=[self.pk])


class AccountRecertification(GovernanceModel):
    """The yearly confirmation that a person still needs their account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recertifications"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recertifications",
    )
    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.CASCADE, related_name="recertifications"
    )
    recertified_by = user_fk(_("recertified by"))
    recertified_on = models.DateField(_("recertified on"), default=timezone.localdate)
    keep = models.BooleanField(_("keep the account"), default=True)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",), agency=("agency",), perms=ACCOUNT_PERMS, self_lookup="user"
    )

    class Meta:
        verbose_name = _("account recertification")
        verbose_name_plural = _("account recertifications")
        ordering = ["-recertified_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} recertified {self.recertified_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("governance:recertification_list")
