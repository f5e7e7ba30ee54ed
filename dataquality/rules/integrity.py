"""Integrity checks CoCs run beside HUD's tables (dates, households, project setup, duplicates).

HUD's glossary is silent on these as rules; definitions follow hmis.synthetic.defects where the
generator plants them, and HUD's Standard Reporting Terminology Glossary otherwise (each function
says which).
"""

from __future__ import annotations

from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from hmis.models import Client, HMISParticipation, IncomeBenefits, Inventory

from .base import Context, age_years, known_dob, open_on

PSH_RRH = (3, 13)


def future_date(enrollments: QuerySet, context: Context) -> QuerySet:
    """A project start or exit after the report end (or after today, for a nightly scan)."""
    return enrollments.filter(
        Q(entry_date__gt=context.as_of)
        | Q(exit__date_deleted__isnull=True, exit__exit_date__gt=context.as_of)
    )


def heads_in_adult_projects(enrollments: QuerySet, context: Context) -> QuerySet:
    """Heads of household in projects whose every inventory serves households without children.

    Inventory HouseholdType 1 = "households without children" (REFERENCE.md §2.3); a project
    with no inventory says nothing about who it serves and is left out.
    """
    for_children = Inventory.objects.filter(
        project_id=OuterRef("project_id"), date_deleted__isnull=True, household_type__in=(3, 4)
    )
    any_inventory = Inventory.objects.filter(
        project_id=OuterRef("project_id"), date_deleted__isnull=True
    )
    return enrollments.filter(relationship_to_hoh=1).filter(
        Exists(any_inventory), ~Exists(for_children)
    )


def child_hoh_in_adult_project(enrollments: QuerySet, context: Context) -> QuerySet:
    return (
        heads_in_adult_projects(enrollments, context)
        .alias(_hoh_age=age_years("client__dob", "entry_date"))
        .filter(known_dob("client__"), _hoh_age__lt=180000)
    )


def outside_project_dates(enrollments: QuerySet, context: Context) -> QuerySet:
    """Entry before the project opened or after it closed, or outside HMIS participation.

    HMIS participation (2.08) is tested only for projects that have participation records: an
    entry must fall in a period of HMISParticipationType 1 (or 2, a comparable database).
    """
    participating = HMISParticipation.objects.filter(
        project_id=OuterRef("project_id"),
        date_deleted__isnull=True,
        hmis_participation_type__in=(1, 2),
        hmis_participation_status_start_date__lte=OuterRef("entry_date"),
    ).filter(
        Q(hmis_participation_status_end_date__isnull=True)
        | Q(hmis_participation_status_end_date__gte=OuterRef("entry_date"))
    )
    any_participation = HMISParticipation.objects.filter(
        project_id=OuterRef("project_id"), date_deleted__isnull=True
    )
    return enrollments.filter(
        Q(entry_date__lt=F("project__operating_start_date"))
        | Q(entry_date__gt=F("project__operating_end_date"))
        | (Exists(any_participation) & ~Exists(participating))
    )


def annual_assessment_due(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.filter(open_on(context.as_of), entry_date__lte=context.years_before(1))


def missing_annual_assessment(enrollments: QuerySet, context: Context) -> QuerySet:
    """Open a year or more on the report end, and no annual assessment (stage 5) at all."""
    stage5 = IncomeBenefits.objects.filter(
        enrollment_id=OuterRef("pk"), date_deleted__isnull=True, data_collection_stage=5
    )
    return annual_assessment_due(enrollments, context).exclude(Exists(stage5))


def psh_rrh_heads(enrollments: QuerySet, context: Context) -> QuerySet:
    return enrollments.filter(
        project__project_type__in=PSH_RRH, relationship_to_hoh=1, entry_date__lte=context.as_of
    )


def no_move_in(enrollments: QuerySet, context: Context) -> QuerySet:
    """A PSH/RRH head of household without a move-in date N (90) days after project start.

    Days run to the exit date, or to the report end while the stay is open.
    """
    from . import RULES

    days = context.threshold(RULES["NO_MOVE_IN"])
    stay = ExpressionWrapper(F("exit__exit_date") - F("entry_date"), output_field=DurationField())
    import datetime as dt

    exited_late = Q(exit__date_deleted__isnull=True, exit__exit_date__lte=context.as_of) & Q(
        _stay__gt=dt.timedelta(days=days)
    )
    open_late = open_on(context.as_of) & Q(entry_date__lt=context.days_before(days))
    return (
        psh_rrh_heads(enrollments, context)
        .filter(move_in_date__isnull=True)
        .alias(_stay=stay)
        .filter(exited_late | open_late)
    )


def duplicate_client(clients: QuerySet, context: Context) -> QuerySet:
    """Likely the same person in another source of the CoC: same full SSN, or same name and DOB.

    Match keys are the keyed hashes ``hmis.pii.client_keys`` stores (the SSN is encrypted).
    """
    same_ssn = Client.objects.filter(
        coc_id=OuterRef("coc_id"),
        date_deleted__isnull=True,
        match_ssn=OuterRef("match_ssn"),
        ssn_data_quality=1,
    ).exclude(source_id=OuterRef("source_id"))
    same_name_dob = Client.objects.filter(
        coc_id=OuterRef("coc_id"),
        date_deleted__isnull=True,
        match_name=OuterRef("match_name"),
        dob=OuterRef("dob"),
    ).exclude(source_id=OuterRef("source_id"))
    return clients.filter(
        (Q(ssn_data_quality=1) & ~Q(match_ssn="") & Exists(same_ssn))
        | (~Q(match_name="") & Q(dob__isnull=False) & Exists(same_name_dob))
    )
