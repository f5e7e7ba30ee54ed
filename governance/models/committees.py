from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

from .base import READ_ALL_KEEP_GOVERNANCE, GovernanceModel, user_fk


class Committee(GovernanceModel):
    """The HMIS committee or the performance management and evaluation committee."""

    class Kind(models.TextChoices):
        HMIS = "hmis", _("HMIS committee")
        PERFORMANCE = "performance", _("Performance management and evaluation committee")
        OTHER = "other", _("Other")

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.PROTECT, related_name="committees"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    chair = user_fk(_("chair"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="committees", verbose_name=_("members")
    )
    charge = models.TextField(_("charge"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",), perms=READ_ALL_KEEP_GOVERNANCE, agency_grants_parent_coc=True
    )

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["coc__code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:committee", args=[self.pk])


class Meeting(GovernanceModel):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("committee__coc",), perms=READ_ALL_KEEP_GOVERNANCE, agency_grants_parent_coc=True
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.committee} — {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[self.pk])


class ActionItem(GovernanceModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(_("action"), max_length=300)
    owner = user_fk(_("owner"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("meeting__committee__coc",),
        perms=READ_ALL_KEEP_GOVERNANCE,
        agency_grants_parent_coc=True,
        self_lookup="owner",
    )

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["done_on", "due_on"]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()
