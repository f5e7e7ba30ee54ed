from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

from .base import GovernanceModel, user_fk


class ConsentQuerySet(RestrictedQuerySet):
    def current(self, on: datetime.date | None = None) -> ConsentQuerySet:
        """Signed, not revoked and not expired on ``on``."""
        on = on or timezone.localdate()
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gt=on),
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=on),
            signed_on__lte=on,
        )


class ClientConsent(GovernanceModel):
    """A client's release of information (ROI): whom the client lets the agency share with.

    The agency that holds the signed form is ``agency``. ``scope`` says which other agencies may
    see the client's identifying data while the consent is current; without a current consent
    they see none (``governance.consent``).
    """

    class Scope(models.TextChoices):
        COC = "coc", _("All participating agencies of the CoC")
        LISTED = "listed", _("Only the agencies listed")
        NONE = "none", _("No sharing (entering agency only)")

    client = models.ForeignKey("hmis.Client", on_delete=models.CASCADE, related_name="consents")
    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.PROTECT, related_name="client_consents"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency holding the signed form"),
        on_delete=models.PROTECT,
        related_name="client_consents",
    )
    scope = models.CharField(_("sharing"), max_length=10, choices=Scope.choices)
    shared_with = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="+", verbose_name=_("shared with")
    )
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    recorded_by = user_fk(_("recorded by"))
    note = models.TextField(_("note"), blank=True)

    objects = ConsentQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",),
        agency=("agency",),
        perms={
            "view": ("view_client_pii", "view_client_pii"),
            "add": ("view_client_pii", "view_client_pii"),
            "change": ("view_client_pii", "view_client_pii"),
            "delete": ("manage_governance", "manage_users"),
        },
    )

    class Meta:
        verbose_name = _("client consent")
        verbose_name_plural = _("client consents")
        ordering = ["-signed_on", "-pk"]
        indexes = [models.Index(fields=["client", "signed_on"])]

    def __str__(self) -> str:
        return f"Consent of client {self.client_id} at {self.agency} ({self.signed_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("governance:consent", args=[self.pk])

    def clean(self) -> None:
        if self.expires_on and self.signed_on and self.expires_on <= self.signed_on:
            raise ValidationError({"expires_on": _("The expiry date must be after signing.")})
        if self.agency_id and self.client_id and self.agency.coc_id != self.client.coc_id:
            raise ValidationError({"agency": _("Choose an agency of the client's CoC.")})

    def save(self, *args, **kwargs) -> None:
        if self.client_id and not self.coc_id:
            self.coc_id = self.client.coc_id
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (
            self.signed_on <= today
            and (self.expires_on is None or self.expires_on > today)
            and (self.revoked_on is None or self.revoked_on > today)
        )
