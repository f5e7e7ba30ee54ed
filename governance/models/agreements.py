from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.uploads import agreement_upload_to, get_private_storage
from roles.querysets import RestrictedQuerySet, Restriction

from .base import GovernanceModel, user_fk

REMINDER_DAYS = (60, 30)


class AgreementQuerySet(RestrictedQuerySet):
    def current(self, on: datetime.date | None = None) -> AgreementQuerySet:
        """Executed (signed by both sides), in force on ``on``, not expired."""
        on = on or timezone.localdate()
        return self.filter(
            executed_on__isnull=False, executed_on__lte=on, agency_signed_on__isnull=False
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on))


class Agreement(GovernanceModel):
    """A participation agreement or data-sharing MOU between the CoC and one agency.

    The agency executive signs as authorizing agent; the CoC governance administrator signs for
    the CoC and keeps the signed copy, which is stored outside the web root.
    """

    class Kind(models.TextChoices):
        PARTICIPATION = "participation", _("HMIS participation agreement")
        DATA_SHARING = "data_sharing", _("Data-sharing MOU")

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.PROTECT, related_name="agreements"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    authorizing_agent = user_fk(_("authorizing agent (agency)"))
    agency_signed_on = models.DateField(_("signed by the agency on"), null=True, blank=True)
    signatory = user_fk(_("CoC signatory and keeper"))
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    document = models.FileField(
        _("signed document"),
        upload_to=agreement_upload_to,
        storage=get_private_storage,
        max_length=300,
        blank=True,
    )
    document_name = models.CharField(_("original file name"), max_length=200, blank=True)
    document_type = models.CharField(max_length=10, blank=True)
    reminder_60_sent_on = models.DateField(null=True, blank=True)
    reminder_30_sent_on = models.DateField(null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = AgreementQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",),
        agency=("agency",),
        perms={
            "view": ("view_continuumofcare", "view_agency"),
            "add": ("manage_governance", None),
            "change": ("manage_governance", None),
            "delete": ("manage_governance", None),
            # The agency executive signs as authorizing agent.
            "sign": (None, "sign_agreements"),
            # The signed copy: its keeper and the agency's authorizing agent.
            "download": ("manage_governance", "sign_agreements"),
        },
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["agency__name", "-executed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} — {self.agency}"

    def get_absolute_url(self) -> str:
        return reverse("governance:agreement", args=[self.pk])

    def clean(self) -> None:
        if self.agency_id and self.coc_id and self.agency.coc_id != self.coc_id:
            raise ValidationError({"agency": _("Choose one of the CoC's agencies.")})
        if self.expires_on and self.executed_on and self.expires_on <= self.executed_on:
            raise ValidationError({"expires_on": _("The expiry date must be after execution.")})

    def save(self, *args, **kwargs) -> None:
        if self.agency_id and not self.coc_id:
            self.coc_id = self.agency.coc_id
        super().save(*args, **kwargs)

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if not self.agency_signed_on:
            return "awaiting agency signature"
        if not self.executed_on:
            return "awaiting CoC signature"
        if self.expires_on and self.expires_on <= today:
            return "expired"
        if self.expires_on and (self.expires_on - today).days <= 60:
            return "expiring soon"
        return "current"
