from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hmis.codes import HMISParticipationType
from roles.querysets import RestrictedQuerySet, Restriction


class Agency(models.Model):
    """A partner organization of the CoC (a HUD Organization, Organization.csv)."""

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare",
        verbose_name=_("CoC"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    name = models.CharField(_("name"), max_length=200)
    hud_organization_id = models.CharField(
        _("HUD OrganizationID"),
        max_length=32,
        help_text=_("Organization.OrganizationID in the agency's HMIS CSV exports."),
    )
    participation_status = models.IntegerField(
        _("HMIS participation"),
        choices=HMISParticipationType.choices,
        default=HMISParticipationType.HMIS_PARTICIPATING,
    )
    victim_service_provider = models.BooleanField(
        _("victim service provider"),
        default=False,
        help_text=_("VSPs must not enter client data in HMIS; they use a comparable database."),
    )
    joined_on = models.DateField(_("joined HMIS on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()
    restriction = Restriction(
        coc=("coc",),
        agency=("pk",),
        perms={
            "view": ("view_continuumofcare", "view_agency"),
            "add": ("manage_agencies", None),
            "change": ("manage_agencies", "change_agency"),
            "delete": ("manage_agencies", None),
        },
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["coc__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["coc", "hud_organization_id"], name="agency_unique_hud_org_per_coc"
            ),
        ]
        permissions = [
            ("assign_roles", "Assign and end roles in the agency"),
            ("manage_users", "Request and deactivate the agency's user accounts"),
            ("review_data_quality", "Review and act on the agency's data-quality flags"),
            ("view_flags", "See data-quality flags on the agency's records"),
            ("verify_reports", "Verify PIT/HIC counts and sign off APR data"),
            ("view_reports", "Read the agency's report numbers"),
            ("sign_agreements", "Sign agreements and MOUs on behalf of the agency"),
            ("view_client_pii", "See identifying information of the agency's clients"),
            ("import_data", "Upload the agency's HMIS CSV exports"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:agency", args=[self.pk])

    @property
    def is_participating(self) -> bool:
        return self.participation_status == HMISParticipationType.HMIS_PARTICIPATING
