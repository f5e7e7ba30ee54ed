"""APR/CAPER Q6b — universal data elements (REFERENCE.md §3.3).

Veteran status is on Client.csv; project start date, relationship to head of household,
enrollment CoC and disabling condition are on Enrollment.csv.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from hmis.models import Disabilities, Enrollment, ProjectCoC

from .base import DK_PNTA, NOT_COLLECTED, RESIDENTIAL, Context, age_years, known_dob


# --- Veteran status (3.07) ------------------------------------------------------------------------
def _entered_as(adult: bool) -> Exists:
    enrollments = Enrollment.objects.filter(
        client_id=OuterRef("pk"), date_deleted__isnull=True
    ).alias(_vet_age=age_years("client__dob", "entry_date"))
    condition = Q(_vet_age__gte=180000) if adult else Q(_vet_age__lt=180000)
    return Exists(enrollments.filter(condition, known_dob("client__")))


def adult_clients(clients: QuerySet, context: Context) -> QuerySet:
    """Clients aged 18 or more at the entry of one of their enrollments (veteran universe)."""
    return clients.filter(_entered_as(adult=True))


def veteran_dkpnta(clients: QuerySet, context: Context) -> QuerySet:
    return adult_clients(clients, context).filter(veteran_status__in=DK_PNTA)


def veteran_missing(clients: QuerySet, context: Context) -> QuerySet:
    return adult_clients(clients, context).filter(
        Q(veteran_status=NOT_COLLECTED) | Q(veteran_status__isnull=True)
    )


def veteran_issue(clients: QuerySet, context: Context) -> QuerySet:
    # HUD: "VeteranStatus = 1 and age < 18". A client who was a child at every entry.
    return (
        clients.filter(veteran_status=1)
        .filter(_entered_as(adult=False))
        .exclude(_entered_as(adult=True))
    )


# --- Project start date (3.10) --------------------------------------------------------------------
def exit_before_entry(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.filter(
        exit__isnull=False,
        exit__date_deleted__isnull=True,
        exit__exit_date__lt=F("entry_date"),
    )


def overlapping_stay(enrollments: QuerySet, context: Context) -> QuerySet:
    """The LATER of two stays of one client in one residential project that overlap.

    HUD's Q6b row 3 counts a start date earlier than the exit of an earlier stay in the same
    project; like the generator's definition (hmis.synthetic.defects) we limit it to residential
    project types, where two simultaneous stays cannot both be true.
    """
    earlier_still_open = Enrollment.objects.filter(
        client_id=OuterRef("client_id"),
        project_id=OuterRef("project_id"),
        date_deleted__isnull=True,
        entry_date__lt=OuterRef("entry_date"),
    ).filter(
        Q(exit__isnull=True)
        | Q(exit__date_deleted__isnull=False)
        | Q(exit__exit_date__gt=OuterRef("entry_date"))
    )
    return enrollments.filter(project__project_type__in=RESIDENTIAL).filter(
        Exists(earlier_still_open)
    )


# --- Relationship to head of household (3.15) -----------------------------------------------------
def relationship_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.filter(
        Q(relationship_to_hoh=NOT_COLLECTED) | Q(relationship_to_hoh__isnull=True)
    )


def relationship_issue(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.exclude(relationship_to_hoh__isnull=True).exclude(
        relationship_to_hoh__in=(1, 2, 3, 4, 5, NOT_COLLECTED)
    )


def _heads_of_same_household() -> QuerySet:
    # Household = HouseholdID within a source (HUD ids are unique only per source). A plain
    # correlated EXISTS, which PostgreSQL turns into a hash (anti-)semi-join: a grouped
    # "households with N heads" subquery correlated per row was re-aggregated for every
    # enrollment (minutes at 20,000 clients, see docs/performance.md).
    return Enrollment.objects.filter(
        source_id=OuterRef("source_id"),
        household_id=OuterRef("household_id"),
        date_deleted__isnull=True,
        relationship_to_hoh=1,
    )


def household_no_head(enrollments: QuerySet, context: Context) -> QuerySet:
    """Every member of a household without a member with RelationshipToHoH = 1."""
    return enrollments.exclude(Exists(_heads_of_same_household()))


def household_multiple_heads(enrollments: QuerySet, context: Context) -> QuerySet:
    """Every member of a household with more than one member with RelationshipToHoH = 1."""
    another_head = _heads_of_same_household().exclude(pk=OuterRef("pk"))
    return enrollments.filter(Exists(_heads_of_same_household().filter(Exists(another_head))))


# --- Enrollment CoC (3.16) ------------------------------------------------------------------------
def heads(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.filter(relationship_to_hoh=1)


def enrollment_coc_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    return heads(enrollments, context).filter(enrollment_coc="")


def enrollment_coc_issue(enrollments: QuerySet, context: Context) -> QuerySet:
    # HUD: the HoH's EnrollmentCoC is not a CoC code of the project (its ProjectCoC records).
    project_codes = ProjectCoC.objects.filter(
        project_id=OuterRef("project_id"),
        date_deleted__isnull=True,
        coc_code=OuterRef("enrollment_coc"),
    )
    # A project without ProjectCoC records says nothing about where it operates: not tested.
    any_code = ProjectCoC.objects.filter(
        project_id=OuterRef("project_id"), date_deleted__isnull=True
    )
    return (
        heads(enrollments, context)
        .exclude(enrollment_coc="")
        .filter(Exists(any_code))
        .exclude(Exists(project_codes))
    )


# --- Disabling condition (3.08) -------------------------------------------------------------------
def disabling_dkpnta(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.filter(disabling_condition__in=DK_PNTA)


def disabling_missing(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.filter(
        Q(disabling_condition=NOT_COLLECTED) | Q(disabling_condition__isnull=True)
    )


def disabling_issue(enrollments: QuerySet, context: Context) -> QuerySet:
    """DisablingCondition = 0 while a disability record at entry says it is disabling (HUD)."""
    disabling = Disabilities.objects.filter(
        enrollment_id=OuterRef("pk"), date_deleted__isnull=True, data_collection_stage=1
    ).filter(
        Q(disability_type__in=(6, 8), disability_response=1)
        | Q(
            disability_type__in=(5, 7, 9),
            disability_response=1,
            indefinite_and_impairs=1,
        )
        | Q(disability_type=10, disability_response__in=(1, 2, 3), indefinite_and_impairs=1)
    )
    return enrollments.filter(disabling_condition=0).filter(Exists(disabling))
