from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from roles.querysets import RestrictedQuerySet, Restriction

# HUD CoC codes are a state or territory abbreviation and three digits, e.g. "VA-500".
coc_code_validator = RegexValidator(
    r"^[A-Z]{2}-\d{3}$", _("Enter a HUD CoC code: two capital letters, a dash, three digits.")
)


class ContinuumOfCare(models.Model):
    """A Continuum of Care: the tenant of this application."""

    code = models.CharField(
        _("CoC code"), max_length=6, unique=True, validators=[coc_code_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    hmis_lead = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("HMIS lead agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_of",
        help_text=_("The agency the CoC designates to run its HMIS."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()
    restriction = Restriction(
        coc=("pk",),
        perms={
            "view": ("view_continuumofcare", "view_agency"),
            "add": (None, None),  # new CoCs are set up by a superuser
            "change": ("change_continuumofcare", None),
            "delete": (None, None),
        },
        agency_grants_parent_coc=True,
    )

    class Meta:
        verbose_name = _("Continuum of Care")
        verbose_name_plural = _("Continuums of Care")
        ordering = ["code"]
        permissions = [
            ("manage_agencies", "Set up, edit and deactivate agencies and projects"),
            ("assign_roles", "Assign and end roles in the CoC and its agencies"),
            ("manage_users", "Create, approve and deactivate user accounts"),
            ("run_scans", "Run and schedule data-quality scans"),
            ("review_data_quality", "Review and act on data-quality flags"),
            ("build_reports", "Build, lock and submit PIT, HIC and APR reports"),
            ("view_reports", "Read report numbers"),
            ("manage_governance", "Keep policies, agreements, committees and trainings"),
            ("manage_helpdesk", "Work helpdesk tickets"),
            ("view_client_pii", "See clients' identifying information"),
            ("import_data", "Upload HMIS CSV exports"),
            ("view_performance", "Read performance goals and results"),
            ("manage_performance", "Set performance goals and benchmarks"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("agencies:coc", args=[self.pk])
