from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

from .base import GovernanceModel, user_fk

TRAINING_PERMS = {
    "view": ("view_continuumofcare", "view_agency"),
    "add": ("manage_users", None),
    "change": ("manage_users", None),
    "delete": ("manage_users", None),
}
# Training records of people: the CoC sees all, an agency's executive and administrator (who
# assign roles there) see their staff, every person sees their own.
PERSON_TRAINING_PERMS = {
    "view": ("view_continuumofcare", "assign_roles"),
    "add": ("manage_users", None),
    "change": ("manage_users", None),
    "delete": ("manage_users", None),
}


class Course(GovernanceModel):
    """A training course the CoC HMIS administrator delivers."""

    class Kind(models.TextChoices):
        NEW_USER = "new_user", _("New-user training")
        PRIVACY_SECURITY = "privacy_security", _("Privacy and security")
        DATA_QUALITY = "data_quality", _("Data quality")
        REPORTING = "reporting", _("Reporting")
        OTHER = "other", _("Other")

    # An account becomes active only with a current certificate for each of these.
    REQUIRED_FOR_ACCESS = (Kind.NEW_USER, Kind.PRIVACY_SECURITY)

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.PROTECT, related_name="courses"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    valid_months = models.PositiveSmallIntegerField(_("certificate valid for (months)"), default=12)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(coc=("coc",), perms=TRAINING_PERMS, agency_grants_parent_coc=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["coc__code", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:course", args=[self.pk])


class TrainingSession(GovernanceModel):
    """One delivery of a course."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    trainer = user_fk(_("trainer"))
    notes = models.TextField(_("notes"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("course__coc",), perms=TRAINING_PERMS, agency_grants_parent_coc=True
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.course} on {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("governance:training_session", args=[self.pk])


class CertificateQuerySet(RestrictedQuerySet):
    def current(self, on: datetime.date | None = None) -> CertificateQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on), issued_on__lte=on)


class Certificate(GovernanceModel):
    """Proof that a person completed a course; attendance at a session issues one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        help_text=_("The session attended; empty for training taken elsewhere."),
    )
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = user_fk(_("recorded by"))

    objects = CertificateQuerySet.as_manager()
    restriction = Restriction(
        coc=("user__coc",),
        agency=("user__agency",),
        perms=PERSON_TRAINING_PERMS,
        self_lookup="user",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "issued_on"], name="certificate_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} — {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("governance:certificate_list") + f"?user={self.user_id}"

    def save(self, *args, **kwargs) -> None:
        if self.expires_on is None and self.course_id and self.course.valid_months:
            self.expires_on = add_months(self.issued_on, self.course.valid_months)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.issued_on <= today and (self.expires_on is None or self.expires_on > today)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # The 31st of a short month becomes its last day.
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)
