"""Concrete HUD record models: the columns of ``records.py`` plus keys, links, restriction."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

from . import records

VIEW = ("view_continuumofcare", "view_agency")
PII = ("view_client_pii", "view_client_pii")
# Records are written only by the importer: nobody adds, changes or deletes them by hand.
READ_ONLY = {"view": VIEW, "add": (None, None), "change": (None, None), "delete": (None, None)}


class RecordQuerySet(RestrictedQuerySet):
    """Restricted, plus HUD's soft delete: ``live()`` drops rows with a DateDeleted."""

    def live(self) -> RecordQuerySet:
        return self.filter(date_deleted__isnull=True)


def unique_per_source(model: str, key: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["source", key], name=f"hmis_{model.lower()}_unique_per_source"
    )


def coc_only(**extra) -> Restriction:
    return Restriction(coc=("coc",), perms={**READ_ONLY, **extra})


def project_level() -> Restriction:
    return Restriction(coc=("coc",), agency=("project__agency",), perms=READ_ONLY)


def enrollment_level() -> Restriction:
    return Restriction(coc=("coc",), agency=("agency",), perms={**READ_ONLY, "pii": PII})


def agency_fk(related_name: str = "+") -> models.ForeignKey:
    # Denormalised from the project's agency at import: restriction and per-agency scans
    # filter on it without joining through Project and Organization.
    return models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )


class Export(records.ExportColumns):
    objects = RecordQuerySet.as_manager()
    restriction = coc_only()

    class Meta:
        verbose_name = _("HMIS export")
        constraints = [unique_per_source("Export", "export_id")]


class Organization(records.OrganizationColumns):
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hmis_organizations",
        help_text=_("Linked at import: OrganizationID = Agency.hud_organization_id in the CoC."),
    )

    objects = RecordQuerySet.as_manager()
    restriction = Restriction(coc=("coc",), agency=("agency",), perms=READ_ONLY)

    class Meta:
        verbose_name = _("HMIS organization")
        constraints = [unique_per_source("Organization", "organization_id")]


class HMISUser(records.HMISUserColumns):
    """User.csv: the people who entered records in the source system (not our log-ins)."""

    objects = RecordQuerySet.as_manager()
    restriction = coc_only()

    class Meta:
        verbose_name = _("HMIS user")
        constraints = [unique_per_source("HMISUser", "user_id")]


class Project(records.ProjectColumns):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, db_constraint=False, related_name="projects"
    )
    agency = agency_fk("hmis_projects")
    agency_project = models.ForeignKey(
        "agencies.Project",
        verbose_name=_("project in the CoC's setup"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hmis_projects",
        help_text=_("Linked at import: ProjectID = Project.hud_project_id of the agency."),
    )

    objects = RecordQuerySet.as_manager()
    restriction = Restriction(coc=("coc",), agency=("agency",), perms=READ_ONLY)

    class Meta:
        verbose_name = _("HMIS project")
        constraints = [unique_per_source("Project", "project_id")]


class Funder(records.FunderColumns):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, db_constraint=False, related_name="funders"
    )
    objects = RecordQuerySet.as_manager()
    restriction = project_level()

    class Meta:
        verbose_name = _("funder")
        constraints = [unique_per_source("Funder", "funder_id")]


class ProjectCoC(records.ProjectCoCColumns):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, db_constraint=False, related_name="project_cocs"
    )
    objects = RecordQuerySet.as_manager()
    restriction = project_level()

    class Meta:
        verbose_name = _("project CoC")
        constraints = [unique_per_source("ProjectCoC", "project_coc_id")]


class Inventory(records.InventoryColumns):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, db_constraint=False, related_name="inventories"
    )
    objects = RecordQuerySet.as_manager()
    restriction = project_level()

    class Meta:
        verbose_name = _("inventory")
        verbose_name_plural = _("inventories")
        constraints = [unique_per_source("Inventory", "inventory_id")]


class HMISParticipation(records.HMISParticipationColumns):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, db_constraint=False, related_name="hmis_participations"
    )
    objects = RecordQuerySet.as_manager()
    restriction = project_level()

    class Meta:
        verbose_name = _("HMIS participation")
        constraints = [unique_per_source("HMISParticipation", "hmis_participation_id")]


class CEParticipation(records.CEParticipationColumns):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, db_constraint=False, related_name="ce_participations"
    )
    objects = RecordQuerySet.as_manager()
    restriction = project_level()

    class Meta:
        verbose_name = _("CE participation")
        constraints = [unique_per_source("CEParticipation", "ce_participation_id")]


class Affiliation(records.AffiliationColumns):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, db_constraint=False, related_name="affiliations"
    )
    objects = RecordQuerySet.as_manager()
    restriction = project_level()

    class Meta:
        verbose_name = _("affiliation")
        constraints = [unique_per_source("Affiliation", "affiliation_id")]


class Client(records.ClientColumns):
    """Client.csv. Names and DOB are plain (reports need DOB); the SSN is encrypted at rest.

    ``ssn_encrypted`` holds the SSN column as exported (Fernet, key from ``HMIS_PII_KEY``);
    ``ssn_last4`` is what lists show masked (``***-**-1234``), empty for hashed exports.
    ``match_*`` are keyed hashes for the cross-source candidate match (``hmis.matching``).
    ``ssn_invalid`` is HUD's SSN validity test (``hmis.pii.ssn_invalid``), taken on import while
    the SSN is in clear, so that data-quality rules and reports never decrypt.
    """

    ssn_encrypted = models.TextField(_("SSN (encrypted)"), blank=True, default="")
    ssn_last4 = models.CharField(_("SSN last four"), max_length=4, blank=True, default="")
    ssn_invalid = models.BooleanField(_("SSN fails HUD's validity test"), default=False)
    match_name = models.CharField(max_length=64, blank=True, default="", db_index=True)
    match_ssn = models.CharField(max_length=64, blank=True, default="", db_index=True)
    match_ssn4 = models.CharField(max_length=64, blank=True, default="")

    objects = RecordQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",),
        agency=("enrollments__agency",),
        to_many=("enrollments__agency",),
        perms={**READ_ONLY, "pii": PII},
    )

    class Meta:
        verbose_name = _("client")
        constraints = [unique_per_source("Client", "personal_id")]

    def get_absolute_url(self) -> str:
        return reverse("hmis:client", args=[self.pk])

    @property
    def ssn_masked(self) -> str:
        return f"***-**-{self.ssn_last4}" if self.ssn_last4 else ""


class Enrollment(records.EnrollmentColumns):
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, db_constraint=False, related_name="enrollments"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, db_constraint=False, related_name="enrollments"
    )
    agency = agency_fk("hmis_enrollments")

    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("enrollment")
        constraints = [unique_per_source("Enrollment", "enrollment_id")]
        # The enrollment list's order (API and page): a page is read in index order instead
        # of sorting 400,000 enrollments (load test at 200,000 clients, docs/performance.md).
        indexes = [
            models.Index(
                fields=["source", "entry_date", "enrollment_id"], name="hmis_enrollment_list_order"
            ),
            # The same order within one agency: an agency user's list reads its page from
            # here instead of walking the CoC's order and dropping the other agencies' rows
            # (at 200,000 clients 33 ms -> 7 ms for page 10). The trailing client key lets the
            # Client restriction ("clients with an enrollment at the agency") read the
            # agency's clients from the index alone.
            models.Index(
                fields=["agency", "source", "entry_date", "enrollment_id", "client"],
                name="hmis_enrollment_agency_list",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("hmis:enrollment", args=[self.pk])


class Exit(records.ExitColumns):
    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, db_constraint=False, related_name="exit"
    )
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("exit")
        constraints = [unique_per_source("Exit", "exit_id")]


def enrollment_fk(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, db_constraint=False, related_name=related_name
    )


class IncomeBenefits(records.IncomeBenefitsColumns):
    enrollment = enrollment_fk("income_benefits")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("income and benefits")
        verbose_name_plural = _("income and benefits")
        constraints = [unique_per_source("IncomeBenefits", "income_benefits_id")]


class HealthAndDV(records.HealthAndDVColumns):
    enrollment = enrollment_fk("health_and_dv")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("health and DV")
        verbose_name_plural = _("health and DV")
        constraints = [unique_per_source("HealthAndDV", "health_and_dv_id")]


class EmploymentEducation(records.EmploymentEducationColumns):
    enrollment = enrollment_fk("employment_education")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("employment and education")
        verbose_name_plural = _("employment and education")
        constraints = [unique_per_source("EmploymentEducation", "employment_education_id")]


class Disabilities(records.DisabilitiesColumns):
    enrollment = enrollment_fk("disabilities")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("disability")
        verbose_name_plural = _("disabilities")
        constraints = [unique_per_source("Disabilities", "disabilities_id")]


class Services(records.ServicesColumns):
    enrollment = enrollment_fk("services")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [unique_per_source("Services", "services_id")]


class CurrentLivingSituation(records.CurrentLivingSituationColumns):
    enrollment = enrollment_fk("current_living_situations")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("current living situation")
        constraints = [unique_per_source("CurrentLivingSituation", "current_living_sit_id")]


class Assessment(records.AssessmentColumns):
    enrollment = enrollment_fk("assessments")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("assessment")
        constraints = [unique_per_source("Assessment", "assessment_id")]


class AssessmentQuestions(records.AssessmentQuestionsColumns):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, db_constraint=False, related_name="questions"
    )
    enrollment = enrollment_fk("assessment_questions")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("assessment question")
        constraints = [unique_per_source("AssessmentQuestions", "assessment_question_id")]


class AssessmentResults(records.AssessmentResultsColumns):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, db_constraint=False, related_name="results"
    )
    enrollment = enrollment_fk("assessment_results")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("assessment result")
        constraints = [unique_per_source("AssessmentResults", "assessment_result_id")]


class Event(records.EventColumns):
    enrollment = enrollment_fk("events")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("CE event")
        constraints = [unique_per_source("Event", "event_id")]


class YouthEducationStatus(records.YouthEducationStatusColumns):
    enrollment = enrollment_fk("youth_education_statuses")
    agency = agency_fk()
    objects = RecordQuerySet.as_manager()
    restriction = enrollment_level()

    class Meta:
        verbose_name = _("youth education status")
        verbose_name_plural = _("youth education statuses")
        constraints = [unique_per_source("YouthEducationStatus", "youth_education_status_id")]


# HUD file name -> model, in dependency order (parents first).
HUD_MODELS: dict[str, type[models.Model]] = {
    model.HUD_FILE: model
    for model in (
        Export,
        Organization,
        HMISUser,
        Project,
        Funder,
        ProjectCoC,
        Inventory,
        HMISParticipation,
        CEParticipation,
        Affiliation,
        Client,
        Enrollment,
        Exit,
        IncomeBenefits,
        HealthAndDV,
        EmploymentEducation,
        Disabilities,
        Services,
        CurrentLivingSituation,
        Assessment,
        AssessmentQuestions,
        AssessmentResults,
        Event,
        YouthEducationStatus,
    )
}
