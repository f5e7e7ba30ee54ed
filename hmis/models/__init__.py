"""HMIS client-level data: HUD HMIS CSV (FY2026) records, sources, imports, PII protection.

Conventions (the data-quality rules and PIT/HIC/APR reports are set-based SQL/ORM over these):

- One model per HMIS CSV file, named as the file (``Client``, ``Enrollment``, ``Exit``,
  ``IncomeBenefits``, ``Disabilities``, ``Services``, ``AssessmentQuestions``, ...), except
  User.csv -> ``HMISUser`` (``roles.User`` is our log-in). ``HUD_MODELS`` maps file -> model in
  dependency order; each model has ``HUD_FILE`` and ``HUD_COLUMNS``, a tuple of
  (HUD column, field name) in FY2026 order, used by import and export.
- Field names are the snake_case of HUD's column names: PersonalID -> ``personal_id``,
  EnrollmentID -> ``enrollment_id``, EntryDate -> ``entry_date``, RelationshipToHoH ->
  ``relationship_to_hoh``, DateCreated -> ``date_created``, HealthAndDVID -> ``health_and_dv_id``,
  CoCCode -> ``coc_code``, EnrollmentCoC -> ``enrollment_coc``, TCellCount -> ``tcell_count``.
  Digits stay attached (``dependent_under6``, ``hh5_plus``, ``address1``).
  Exception: where a record has a resolved foreign key (below), the HUD *text* key of the
  referenced record is ``hud_<name>_id`` because Django's ``<fk>_id`` attribute is taken:
  Exit.EnrollmentID -> ``hud_enrollment_id`` (``enrollment_id`` is the integer FK column),
  Enrollment.ProjectID -> ``hud_project_id``, Project.OrganizationID -> ``hud_organization_id``,
  AssessmentQuestions.AssessmentID -> ``hud_assessment_id``, Export.SourceID -> ``hud_source_id``.
  A record's *own* HUD key is always plain (``Enrollment.enrollment_id``, ``Exit.exit_id``).
- Types: HUD dates are ``DateField``, timestamps ``DateTimeField`` (HUD's naive local times read
  in ``settings.TIME_ZONE``), integer codes ``IntegerField`` (null when blank), money
  ``DecimalField(12, 2)`` (null when blank), strings ``CharField`` ("" when blank).
  SSNDataQuality/DOBDataQuality are integers (HUD), though the column file says string.
- Every record has ``source`` (FK ``hmis.Source``; HUD ids are unique only within a source) and
  a denormalised ``coc`` (FK ``agencies.ContinuumOfCare``), and is unique on (source, own key).
- Resolved links (real FKs, set by the importer inside the source):
  ``Enrollment.client`` -> Client (``client.enrollments``), ``Enrollment.project`` -> hmis
  ``Project`` (``project.enrollments``); ``Exit.enrollment`` is one-to-one
  (``enrollment.exit``); IncomeBenefits, HealthAndDV, EmploymentEducation, Disabilities,
  Services, CurrentLivingSituation, Assessment, AssessmentQuestions, AssessmentResults, Event,
  YouthEducationStatus ``.enrollment`` -> Enrollment (related names ``income_benefits``,
  ``health_and_dv``, ``employment_education``, ``disabilities``, ``services``,
  ``current_living_situations``, ``assessments``, ``assessment_questions``,
  ``assessment_results``, ``events``, ``youth_education_statuses``);
  AssessmentQuestions/AssessmentResults ``.assessment`` -> Assessment; Funder, ProjectCoC,
  Inventory, HMISParticipation, CEParticipation, Affiliation ``.project`` -> hmis Project;
  ``Project.organization`` -> Organization.
  Links to the CoC's setup (nullable): ``Organization.agency`` -> ``agencies.Agency``
  (OrganizationID = Agency.hud_organization_id in the source's CoC), ``Project.agency`` and
  ``Project.agency_project`` -> ``agencies.Project`` (ProjectID = hud_project_id).
  ``agency`` (FK ``agencies.Agency``, nullable) is denormalised onto Enrollment and every
  enrollment-level record for restriction and per-agency scans.
- Soft delete: ``date_deleted`` set means deleted in the source; ``Model.objects.live()`` drops
  those rows. Reports and scans should start from ``live()``.
- Indexed for set-based queries: project_type, entry_date, exit_date, household_id,
  relationship_to_hoh, move_in_date, date_provided, record_type, information_date,
  data_collection_stage, destination, personal_id, dob, disability_type, ...
- Restriction: every model has ``objects = RecordQuerySet.as_manager()`` and a ``restriction``.
  View needs ("view_continuumofcare", "view_agency"); agency scope reaches records through
  ``agency`` (Client: any of its enrollments' agency, a to-many lookup). Client and
  enrollment-level models also have a ``"pii"`` action (``view_client_pii`` on either scope):
  ``Client.objects.restrict(user, "pii")`` are the clients whose names/SSN/DOB the user may see.
  Upload needs ``import_data`` (``Source.objects.restrict(user, "import")``).
- Client PII: names and DOB are plain columns (reports need DOB); the SSN is stored only
  encrypted (``ssn_encrypted``) with ``ssn_last4`` for the masked display; ``hmis.pii`` reads it.
"""

from .base import HudRecord, ImportRun, Source
from .hud import (
    HUD_MODELS,
    Affiliation,
    Assessment,
    AssessmentQuestions,
    AssessmentResults,
    CEParticipation,
    Client,
    CurrentLivingSituation,
    Disabilities,
    EmploymentEducation,
    Enrollment,
    Event,
    Exit,
    Export,
    Funder,
    HealthAndDV,
    HMISParticipation,
    HMISUser,
    IncomeBenefits,
    Inventory,
    Organization,
    Project,
    ProjectCoC,
    RecordQuerySet,
    Services,
    YouthEducationStatus,
)
from .review import ClientCandidate, PIIAccessLog

__all__ = [
    "HUD_MODELS",
    "Affiliation",
    "Assessment",
    "AssessmentQuestions",
    "AssessmentResults",
    "CEParticipation",
    "Client",
    "ClientCandidate",
    "CurrentLivingSituation",
    "Disabilities",
    "EmploymentEducation",
    "Enrollment",
    "Event",
    "Exit",
    "Export",
    "Funder",
    "HMISParticipation",
    "HMISUser",
    "HealthAndDV",
    "HudRecord",
    "ImportRun",
    "IncomeBenefits",
    "Inventory",
    "Organization",
    "PIIAccessLog",
    "Project",
    "ProjectCoC",
    "RecordQuerySet",
    "Services",
    "Source",
    "YouthEducationStatus",
]
