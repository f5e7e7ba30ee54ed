from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

from .base import GovernanceModel, user_fk

VENDOR_PERMS = {
    "view": ("view_continuumofcare", None),
    "add": ("manage_governance", None),
    "change": ("manage_governance", None),
    "delete": ("manage_governance", None),
}


class VendorCheck(GovernanceModel):
    """One requirement of the vendor checklist, evaluated for one period with its evidence."""

    class Source(models.TextChoices):
        HUD = "hud", _("HUD HMIS Data Standards")
        PRIVACY = "privacy", _("HUD privacy and security standards")
        LOCAL = "local", _("Local HMIS policy")
        CONTRACT = "contract", _("Vendor contract")

    class Result(models.TextChoices):
        MET = "met", _("met")
        PARTIAL = "partial", _("partly met")
        NOT_MET = "not_met", _("not met")
        NOT_EVALUATED = "not_evaluated", _("not evaluated yet")

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.PROTECT, related_name="vendor_checks"
    )
    period = models.CharField(_("period"), max_length=20, help_text=_("For example 2026-Q3."))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    requirement = models.CharField(_("requirement"), max_length=300)
    result = models.CharField(
        _("result"), max_length=15, choices=Result.choices, default=Result.NOT_EVALUATED
    )
    evidence = models.TextField(_("evidence"), blank=True)
    finding = models.TextField(_("finding and follow-up"), blank=True)
    evaluated_by = user_fk(_("evaluated by"))
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(coc=("coc",), perms=VENDOR_PERMS)

    class Meta:
        verbose_name = _("vendor check")
        verbose_name_plural = _("vendor checks")
        ordering = ["coc__code", "-period", "source", "requirement"]
        constraints = [
            models.UniqueConstraint(
                fields=["coc", "period", "requirement"], name="vendor_check_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.requirement}"

    def get_absolute_url(self) -> str:
        return reverse("governance:vendor_check", args=[self.pk])
