"""Cross-source client candidates and the PII access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction


class ClientCandidate(models.Model):
    """Two clients of different sources that a deterministic rule says may be one person.

    Shown for review and never merged: confirming records the decision, nothing more.
    """

    class Rule(models.TextChoices):
        NAME_DOB = "name_dob", _("Same name and date of birth")
        SSN_DOB = "ssn_dob", _("Same SSN and date of birth")
        SSN4_NAME = "ssn4_name", _("Same last four of SSN and name")

    class Status(models.TextChoices):
        PENDING = "pending", _("To review")
        SAME = "same", _("Same person")
        DIFFERENT = "different", _("Different people")

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.CASCADE, related_name="+", verbose_name="CoC"
    )
    client = models.ForeignKey(
        "hmis.Client", on_delete=models.CASCADE, related_name="candidates_as_first"
    )
    other = models.ForeignKey(
        "hmis.Client", on_delete=models.CASCADE, related_name="candidates_as_second"
    )
    rule = models.CharField(_("rule"), max_length=12, choices=Rule.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    # Linking people across agencies is a CoC-level task on identifying data.
    restriction = Restriction(
        coc=("coc",),
        perms={
            "view": ("view_client_pii", None),
            "add": (None, None),
            "change": ("view_client_pii", None),
            "delete": (None, None),
        },
    )

    class Meta:
        verbose_name = _("client match candidate")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["client", "other"], name="hmis_candidate_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} ~ {self.other_id} ({self.get_rule_display()})"


class PIIAccessLog(models.Model):
    """Who saw which client's identifying information, when, and where."""

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.CASCADE, related_name="+", verbose_name="CoC"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # The client row may be replaced by a later import: keep its HUD identity too.
    client = models.ForeignKey(
        "hmis.Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(
        "hmis.Source", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    personal_id = models.CharField(_("PersonalID"), max_length=32)
    where = models.CharField(_("page or endpoint"), max_length=300)
    fields = models.CharField(_("what"), max_length=100, default="name, SSN, DOB")

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",),
        agency=("agency",),
        perms={
            "view": ("manage_users", "manage_users"),
            "add": (None, None),
            "change": (None, None),
            "delete": (None, None),
        },
    )

    class Meta:
        verbose_name = _("PII access")
        verbose_name_plural = _("PII access log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} saw {self.personal_id} at {self.at:%Y-%m-%d %H:%M}"
