from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

from .base import GovernanceModel, user_fk

PERFORMANCE_PERMS = {
    "view": ("view_performance", "view_reports"),
    "add": ("manage_performance", None),
    "change": ("manage_performance", None),
    "delete": ("manage_performance", None),
}


class PerformanceGoal(GovernanceModel):
    """A system-wide goal or benchmark set by the performance committee."""

    class Measure(models.TextChoices):
        SPM1 = "spm1", _("SPM 1: length of time homeless (median days)")
        SPM2 = "spm2", _("SPM 2: returns to homelessness within 24 months (%)")
        SPM3 = "spm3", _("SPM 3: number of people homeless (PIT)")
        SPM4 = "spm4", _("SPM 4: income growth of CoC-funded clients (%)")
        SPM5 = "spm5", _("SPM 5: first-time homeless (people)")
        SPM7 = "spm7", _("SPM 7: exits to permanent housing (%)")
        DQ_COMPLETENESS = "dq_completeness", _("Data quality: completeness (%)")
        DQ_TIMELINESS = "dq_timeliness", _("Data quality: entries within 3 days (%)")
        BED_COVERAGE = "bed_coverage", _("HMIS bed coverage (%)")

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("at least the target")
        AT_MOST = "at_most", _("at most the target")

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.PROTECT, related_name="performance_goals"
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    direction = models.CharField(_("better is"), max_length=10, choices=Direction.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    set_by = user_fk(_("set by"))
    rationale = models.TextField(_("rationale"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(coc=("coc",), perms=PERFORMANCE_PERMS, agency_grants_parent_coc=True)

    class Meta:
        verbose_name = _("performance goal")
        verbose_name_plural = _("performance goals")
        ordering = ["coc__code", "-year", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["coc", "measure", "year"], name="goal_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.year}: {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("governance:performance_goal", args=[self.pk])

    def meets(self, value) -> bool:
        if self.direction == self.Direction.AT_LEAST:
            return value >= self.target
        return value <= self.target


class PerformanceResult(GovernanceModel):
    """An actual value of a goal's measure for a period, CoC-wide or for one agency.

    Recorded from the data-quality scans and the reports (``source``), or by the committee.
    """

    goal = models.ForeignKey(PerformanceGoal, on_delete=models.CASCADE, related_name="results")
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="performance_results",
        help_text=_("Empty for the CoC-wide value."),
    )
    period_end = models.DateField(_("period ending"))
    value = models.DecimalField(_("actual"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=100, default="entered by the committee")

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("goal__coc",),
        agency=("agency",),
        perms=PERFORMANCE_PERMS,
    )

    class Meta:
        verbose_name = _("performance result")
        verbose_name_plural = _("performance results")
        ordering = ["goal", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "agency", "period_end"], name="result_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal.get_measure_display()} {self.period_end:%Y-%m}: {self.value}"

    def get_absolute_url(self) -> str:
        return self.goal.get_absolute_url()
