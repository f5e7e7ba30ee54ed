"""APR/CAPER Q6f — inactive records, the 90-day rule (REFERENCE.md §3.7), on Enrollment.csv.

FY2026: row 2 "contact" covers adults and heads of household in Street Outreach (4) or
PATH-funded Services Only (6, Funder 21); row 3 "bed night" covers everyone in ES night-by-night
(1). Both need a stay that started more than N days (90, the CoC may change it) before the report
end and is still open on it. Like greenriver, a stay with no contact or bed night at all is
inactive (the start date stands in for the last activity, and it is already N days old).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from hmis.models import CurrentLivingSituation, Funder, Services

from .base import Context, adult_or_hoh, open_on

BED_NIGHT = 200
PATH_FUNDER = 21


def _days(context: Context, code: str) -> int:
    from . import RULES

    return context.threshold(RULES[code])


def contact_universe(enrollments: QuerySet, context: Context) -> QuerySet:
    days = _days(context, "INACTIVE_CONTACT")
    path_funded = Funder.objects.filter(
        project_id=OuterRef("project_id"), date_deleted__isnull=True, funder=PATH_FUNDER
    )
    return adult_or_hoh(
        enrollments.filter(open_on(context.as_of), entry_date__lt=context.days_before(days))
        .alias(_path=Exists(path_funded))
        .filter(Q(project__project_type=4) | Q(project__project_type=6, _path=True))
    )


def inactive_contact(enrollments: QuerySet, context: Context) -> QuerySet:
    days = _days(context, "INACTIVE_CONTACT")
    recent = CurrentLivingSituation.objects.filter(
        enrollment_id=OuterRef("pk"),
        date_deleted__isnull=True,
        information_date__gte=context.days_before(days),
        information_date__lte=context.as_of,
    )
    return contact_universe(enrollments, context).exclude(Exists(recent))


def bed_night_universe(enrollments: QuerySet, context: Context) -> QuerySet:
    days = _days(context, "INACTIVE_BED_NIGHT")
    return enrollments.filter(
        open_on(context.as_of),
        project__project_type=1,
        entry_date__lt=context.days_before(days),
    )


def inactive_bed_night(enrollments: QuerySet, context: Context) -> QuerySet:
    days = _days(context, "INACTIVE_BED_NIGHT")
    recent = Services.objects.filter(
        enrollment_id=OuterRef("pk"),
        date_deleted__isnull=True,
        record_type=BED_NIGHT,
        date_provided__gte=context.days_before(days),
        date_provided__lte=context.as_of,
    )
    return bed_night_universe(enrollments, context).exclude(Exists(recent))
