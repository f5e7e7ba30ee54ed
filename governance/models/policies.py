from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

from .base import READ_ALL_KEEP_GOVERNANCE, GovernanceModel, user_fk


class Policy(GovernanceModel):
    """A policy or procedure of the CoC; its text lives in versions.

    The Data Quality Plan is kept here as a document (kind ``data_quality_plan``); the benchmark
    numbers the scorecards use belong to the data-quality app.
    """

    class Kind(models.TextChoices):
        POLICIES_PROCEDURES = "policies_procedures", _("HMIS policies and procedures")
        DATA_QUALITY_PLAN = "data_quality_plan", _("Data Quality Plan")
        PRIVACY = "privacy", _("Privacy plan")
        SECURITY = "security", _("Security plan")
        PERFORMANCE_PLAN = "performance_plan", _("Performance Management Plan")
        USER_AGREEMENT = "user_agreement", _("End-user agreement")
        OTHER = "other", _("Other")

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.PROTECT, related_name="policies"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    owner = user_fk(_("owner"))
    requires_acknowledgement = models.BooleanField(
        _("agencies acknowledge"),
        default=True,
        help_text=_("Each participating agency acknowledges the current version."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",),
        perms=READ_ALL_KEEP_GOVERNANCE,
        agency_grants_parent_coc=True,
    )

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["coc__code", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:policy", args=[self.pk])

    def current_version(self, on=None):
        on = on or timezone.localdate()
        return (
            self.versions.filter(approved_on__isnull=False, effective_on__lte=on)
            .order_by("-effective_on", "-pk")
            .first()
        )


class PolicyVersion(GovernanceModel):
    """One approved (or draft) text of a policy, with its effective and next review dates."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("version"), max_length=20)
    summary = models.TextField(_("summary of changes"), blank=True)
    body = models.TextField(_("text"), blank=True)
    approved_by = user_fk(_("approved by"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"))
    next_review_on = models.DateField(_("next review by"))

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("policy__coc",),
        perms=READ_ALL_KEEP_GOVERNANCE,
        agency_grants_parent_coc=True,
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy__title", "-effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "version"], name="policy_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("governance:policy", args=[self.policy_id])

    def clean(self) -> None:
        if self.next_review_on and self.effective_on and self.next_review_on <= self.effective_on:
            raise ValidationError(
                {"next_review_on": _("The next review must come after the effective date.")}
            )

    @property
    def review_overdue(self) -> bool:
        return self.next_review_on < timezone.localdate()


class PolicyAcknowledgement(GovernanceModel):
    """An agency confirms it has read and follows one version of a policy."""

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="policy_acknowledgements"
    )
    acknowledged_by = user_fk(_("acknowledged by"))
    acknowledged_on = models.DateField(_("acknowledged on"), default=timezone.localdate)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("agency__coc",),
        agency=("agency",),
        perms={
            "view": ("view_continuumofcare", "view_agency"),
            # The executive or the agency HMIS administrator acknowledges for the agency.
            "add": ("manage_governance", "sign_agreements"),
            "change": ("manage_governance", None),
            "delete": ("manage_governance", None),
        },
    )

    class Meta:
        verbose_name = _("policy acknowledgement")
        verbose_name_plural = _("policy acknowledgements")
        ordering = ["-acknowledged_on"]
        constraints = [
            models.UniqueConstraint(fields=["version", "agency"], name="policy_ack_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency} acknowledged {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("governance:policy", args=[self.version.policy_id])
