from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hmis.codes import HMISParticipationType, ProjectType
from roles.querysets import RestrictedQuerySet, Restriction


class Project(models.Model):
    """A program of an agency (a HUD Project, Project.csv)."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    name = models.CharField(_("name"), max_length=200)
    hud_project_id = models.CharField(
        _("HUD ProjectID"),
        max_length=32,
        help_text=_("Project.ProjectID in the agency's HMIS CSV exports."),
    )
    project_type = models.IntegerField(_("HUD project type"), choices=ProjectType.choices)
    operating_start = models.DateField(_("operating start date"))
    operating_end = models.DateField(_("operating end date"), null=True, blank=True)
    hmis_participation = models.IntegerField(
        _("HMIS participation"),
        choices=HMISParticipationType.choices,
        default=HMISParticipationType.HMIS_PARTICIPATING,
    )
    continuum_project = models.BooleanField(
        _("Continuum project"),
        default=True,
        help_text=_("HUD ContinuumProject: part of the CoC's homeless response system."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()
    restriction = Restriction(
        coc=("agency__coc",),
        agency=("agency",),
        perms={
            "view": ("view_continuumofcare", "view_agency"),
            "add": ("manage_agencies", None),
            "change": ("manage_agencies", "change_agency"),
            "delete": ("manage_agencies", None),
        },
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "hud_project_id"], name="project_unique_hud_id_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:project", args=[self.pk])

    def clean(self) -> None:
        if (
            self.operating_end
            and self.operating_start
            and self.operating_end < self.operating_start
        ):
            raise ValidationError(
                {"operating_end": _("The operating end date is before the start date.")}
            )

    @property
    def coc(self):
        return self.agency.coc
