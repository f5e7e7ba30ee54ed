"""Who does what in a CoC: every responsibility of the seed, who holds it today, and the gaps.

Computed from a fixed handful of queries (roles, agencies, assignments in and near force), never
one query per agency or per person.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from agencies.models import Agency, ContinuumOfCare
from hmis.codes import HMISParticipationType
from roles.models import Role, RoleAssignment, ScopeType

SOON_DAYS = 30
REQUIRED_COC_ROLES = ("coc_hmis_admin", "coc_governance_admin")
REQUIRED_AGENCY_ROLES = ("agency_hmis_admin", "agency_executive")


@dataclass
class Gap:
    code: str
    severity: str  # "danger" or "warning", Bootstrap's words, read by people too
    message: str
    role: str | None = None
    agency_id: int | None = None
    assignment_id: int | None = None


@dataclass
class RoleCoverage:
    role: Role
    responsibilities: list
    holders: list[RoleAssignment] = field(default_factory=list)


@dataclass
class Coverage:
    coc: ContinuumOfCare
    roles: list[RoleCoverage]
    gaps: list[Gap]
    on: datetime.date


def coverage_for(coc: ContinuumOfCare, user=None, on: datetime.date | None = None) -> Coverage:
    """Coverage of ``coc`` as ``user`` may see it: agency-scoped users see their own agencies
    (and the CoC-level roles), CoC-scoped users see every agency."""
    on = on or timezone.localdate()
    roles = list(Role.objects.prefetch_related("responsibilities").order_by("order"))
    visible = Agency.objects.restrict(user) if user is not None else Agency.objects.all()
    agencies = list(visible.filter(coc=coc, is_active=True).order_by("name"))
    in_scope = Q(coc=coc) | Q(agency__in=[agency.pk for agency in agencies])
    window = on - datetime.timedelta(days=SOON_DAYS)
    assignments = list(
        RoleAssignment.objects.filter(in_scope)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=window))
        .select_related("user", "role", "agency")
        .order_by("role__order", "agency__name", "user__username")
    )
    active = [a for a in assignments if a.is_active_on(on)]

    by_role = {role.key: RoleCoverage(role, list(role.responsibilities.all())) for role in roles}
    for assignment in active:
        by_role[assignment.role.key].holders.append(assignment)

    gaps: list[Gap] = []
    names = {role.key: role.name for role in roles}
    for key in REQUIRED_COC_ROLES:
        holders = [a for a in by_role[key].holders if a.coc_id == coc.pk]
        if not any(a.user.is_active for a in holders):
            gaps.append(
                Gap("coc_role_missing", "danger", f"No {names[key]} for {coc.code}.", role=key)
            )

    for agency in agencies:
        if agency.participation_status != HMISParticipationType.HMIS_PARTICIPATING:
            continue
        for key in REQUIRED_AGENCY_ROLES:
            holders = [a for a in by_role[key].holders if a.agency_id == agency.pk]
            if not holders:
                what = "designated" if key == "agency_hmis_admin" else "named"
                gaps.append(
                    Gap(
                        "agency_role_missing",
                        "danger",
                        f"{agency.name} has no {what} {names[key]}.",
                        role=key,
                        agency_id=agency.pk,
                    )
                )
            elif key == "agency_hmis_admin" and not any(a.user.is_active for a in holders):
                gaps.append(
                    Gap(
                        "agency_admin_inactive",
                        "danger",
                        f"The only {names[key]} of {agency.name} has an inactive account.",
                        role=key,
                        agency_id=agency.pk,
                    )
                )

    soon = on + datetime.timedelta(days=SOON_DAYS)
    for assignment in assignments:
        if assignment.ends_on is None:
            continue
        scope = assignment.agency.name if assignment.agency_id else coc.code
        who, role, day = assignment.user.display_name, assignment.role.name, assignment.ends_on
        if day <= on:
            message = f"{who} stopped being {role} of {scope} on {day:%Y-%m-%d}."
            code = "assignment_ended"
        elif day <= soon:
            message = f"{who} stops being {role} of {scope} on {day:%Y-%m-%d}."
            code = "assignment_ending"
        else:
            continue
        gaps.append(
            Gap(
                code,
                "warning",
                message,
                role=assignment.role.key,
                agency_id=assignment.agency_id,
                assignment_id=assignment.pk,
            )
        )
    return Coverage(coc, list(by_role.values()), gaps, on)


def scope_type_label(role: Role) -> str:
    return ScopeType(role.scope_type).label
