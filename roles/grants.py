"""Keep django-guardian's object permissions in step with role assignments.

The wanted state is derived from the active assignments; the stored state is guardian's
direct-FK permission rows. ``sync_permissions`` compares the two as sets and writes only the
difference, for one user or for everybody (the hourly task that applies start and end dates).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from agencies.models import AgencyUserObjectPermission, CoCUserObjectPermission
from hmis_gov.listcache import tables_changed
from roles.models import RoleAssignment, ScopeType
from roles.querysets import forget_grants


def wanted_grants(
    user_ids: list[int] | None, on: datetime.date
) -> tuple[set[tuple[int, int, int]], set[tuple[int, int, int]]]:
    """(user, scope, permission) triples that the active assignments grant, per scope kind."""
    active = RoleAssignment.objects.active(on).filter(user__is_active=True)
    if user_ids is not None:
        active = active.filter(user_id__in=user_ids)
    rows = active.values_list("user_id", "coc_id", "agency_id", "role__permissions")
    coc, agency = set(), set()
    for user_id, coc_id, agency_id, perm_id in rows:
        if perm_id is None:
            continue
        if coc_id:
            coc.add((user_id, coc_id, perm_id))
        else:
            agency.add((user_id, agency_id, perm_id))
    return coc, agency


def _apply(model, wanted: set[tuple[int, int, int]], user_ids: list[int] | None) -> int:
    stored = model.objects.all()
    if user_ids is not None:
        stored = stored.filter(user_id__in=user_ids)
    current = {
        (u, o, p): pk
        for pk, u, o, p in stored.values_list("pk", "user_id", "content_object_id", "permission_id")
    }
    stale = [pk for key, pk in current.items() if key not in wanted]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    missing = [
        model(user_id=u, content_object_id=o, permission_id=p)
        for (u, o, p) in wanted
        if (u, o, p) not in current
    ]
    model.objects.bulk_create(missing)
    if stale or missing:
        forget_grants()  # the request's memo of grants (roles.querysets)
        tables_changed(model)  # list counts read the grants when outside a request
    return len(stale) + len(missing)


@transaction.atomic
def sync_permissions(user_ids: list[int] | None = None, on: datetime.date | None = None) -> int:
    """Grant what active assignments give and revoke the rest; returns the rows changed."""
    on = on or timezone.localdate()
    coc_wanted, agency_wanted = wanted_grants(user_ids, on)
    return _apply(CoCUserObjectPermission, coc_wanted, user_ids) + _apply(
        AgencyUserObjectPermission, agency_wanted, user_ids
    )


def held_roles(user, scope) -> set[str]:
    """Keys of the roles ``user`` holds today on ``scope``, counting CoC roles for its agencies."""
    active = RoleAssignment.objects.active().filter(user=user)
    if getattr(scope, "_meta", None) and scope._meta.model_name == "agency":
        active = active.filter(agency=scope) | active.filter(coc_id=scope.coc_id)
    else:
        active = active.filter(coc=scope)
    return set(active.values_list("role__key", flat=True))


def can_assign(user, role, scope) -> bool:
    """Whether ``user`` may give ``role`` on ``scope`` (or end such an assignment).

    The seed decides: the CoC HMIS administrator assigns agency administrators and key users, an
    agency executive designates the agency's HMIS administrator, and the agency HMIS
    administrator assigns the agency's program staff.
    """
    if user.is_superuser:
        return True
    if scope is None or role is None:
        return False
    if role.scope_type == ScopeType.COC and scope._meta.model_name != "continuumofcare":
        return False
    if role.scope_type == ScopeType.AGENCY and scope._meta.model_name != "agency":
        return False
    allowed = set(role.assignable_by.values_list("key", flat=True))
    return bool(allowed & held_roles(user, scope))
