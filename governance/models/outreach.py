from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

from .base import GovernanceModel, user_fk


class OutreachNote(GovernanceModel):
    """Contact with a non-participating agency, on the way to bringing it into HMIS."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="outreach_notes"
    )
    contacted_on = models.DateField(_("contacted on"), default=timezone.localdate)
    contacted_by = user_fk(_("contacted by"))
    note = models.TextField(_("note"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step by"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("agency__coc",),
        agency=("agency",),
        perms={
            "view": ("manage_users", "view_agency"),
            "add": ("manage_users", None),
            "change": ("manage_users", None),
            "delete": ("manage_users", None),
        },
    )

    class Meta:
        verbose_name = _("outreach note")
        verbose_name_plural = _("outreach notes")
        ordering = ["-contacted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency} {self.contacted_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("governance:outreach_note", args=[self.pk])
