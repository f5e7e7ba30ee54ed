import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from roles.querysets import RestrictedQuerySet, Restriction

from .role import ScopeType


class RoleAssignmentQuerySet(RestrictedQuerySet):
    def active(self, on: datetime.date | None = None) -> "RoleAssignmentQuerySet":
        """Assignments in force on ``on`` (default today); ``ends_on`` is the day access stops."""
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on), starts_on__lte=on)


class RoleAssignment(models.Model):
    """A person holding a role on a scope (a CoC or one agency) for a period.

    While it is active it grants the role's permissions on the scope through django-guardian;
    ``roles.grants`` keeps the two in step (on every save and delete, and hourly for dates).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.ForeignKey(
        "roles.Role", verbose_name=_("role"), on_delete=models.PROTECT, related_name="assignments"
    )
    coc = models.ForeignKey(
        "agencies.ContinuumOfCare",
        verbose_name=_("CoC"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Access stops on this day.")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RoleAssignmentQuerySet.as_manager()
    history = HistoricalRecords()
    restriction = Restriction(
        coc=("coc", "agency__coc"),
        agency=("agency",),
        perms={
            "view": ("view_continuumofcare", "view_agency"),
            "add": ("assign_roles", "assign_roles"),
            "change": ("assign_roles", "assign_roles"),
            "delete": ("assign_roles", "assign_roles"),
        },
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(coc__isnull=False, agency__isnull=True))
                | (Q(coc__isnull=True, agency__isnull=False)),
                name="role_assignment_exactly_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} ({self.scope})"

    def get_absolute_url(self) -> str:
        return reverse("roles:assignment", args=[self.pk])

    @property
    def scope(self):
        return self.coc if self.coc_id else self.agency

    @property
    def scope_coc_id(self) -> int | None:
        return self.coc_id if self.coc_id else self.agency.coc_id

    def is_active_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on > day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on()

    def end(self, note: str = "") -> None:
        """End the assignment today: access stops at once (one with a later end date is cut short;
        one that has not started yet ends on its start day, so it never grants anything)."""
        today = timezone.localdate()
        if self.ends_on is None or self.ends_on > today:
            self.ends_on = max(today, self.starts_on)
        if note:
            self.note = f"{self.note}\n{note}".strip()
        self._change_reason = "ended"
        self.save()

    def clean(self) -> None:
        errors = {}
        if bool(self.coc_id) == bool(self.agency_id):
            errors["agency"] = _("Choose either a CoC or an agency as the scope, not both.")
        elif self.role_id:
            if self.role.scope_type == ScopeType.COC and not self.coc_id:
                errors["coc"] = _("%(role)s is held on a CoC: choose the CoC.") % {
                    "role": self.role
                }
            if self.role.scope_type == ScopeType.AGENCY and not self.agency_id:
                errors["agency"] = _("%(role)s is held on an agency: choose the agency.") % {
                    "role": self.role
                }
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date must not be before the start date.")
        if errors:
            raise ValidationError(errors)
