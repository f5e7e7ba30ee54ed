"""The one restriction: which rows a user may see or act on.

Every tenant-owned model declares a :class:`Restriction`: the lookups that lead from the model to
the CoC and to the agency it belongs to, and for each action the permission a user must hold on
that CoC or that agency. Permissions live in django-guardian's object-permission tables (direct
foreign-key tables, see ``agencies.models.permissions``), granted and revoked by role assignments.
``restrict(user, action)`` turns all of that into one SQL filter, so a list costs the same number
of queries whatever the user holds: inside a request the filter names the ids of the user's
scopes (read once per request, see "The grants of a request" below), elsewhere it reads them in
sub-selects.

Superusers are the only exception. Anything outside the result is, for the caller, not there
(views answer 404).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import connections, models
from django.db.models import Q, Value
from django.db.models.signals import post_delete

ACTIONS = ("view", "add", "change", "delete")

# HTTP methods as actions, for the base UI mixin and the base API viewset.
METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


@dataclass(frozen=True)
class Restriction:
    """How a model reaches its tenant, and which scope permission each action needs.

    ``perms`` maps an action to ``(coc_permission, agency_permission)``; ``None`` means that kind
    of scope never grants the action. ``coc`` and ``agency`` are lookups from the model to a
    ``ContinuumOfCare`` or an ``Agency`` ("pk" when the model is the scope itself).
    ``agency_grants_parent_coc`` lets agency-scoped holders see the CoC their agency belongs to.
    ``self_lookup`` lets every user see the row that is themselves (their own account).
    ``to_many`` names the lookups (among ``coc`` and ``agency``) that cross a to-many relation
    (e.g. a client seen through any of its enrollments); they are applied as ``pk IN (subquery)``
    so that no row comes back twice.
    """

    coc: tuple[str, ...] = ()
    agency: tuple[str, ...] = ()
    perms: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    agency_grants_parent_coc: bool = False
    self_lookup: str | None = None
    to_many: tuple[str, ...] = ()


def coc_ids_with(user, codename: str) -> models.QuerySet:
    """ContinuumOfCare ids on which ``user`` holds ``codename`` (a guardian object permission)."""
    model = apps.get_model("agencies", "CoCUserObjectPermission")
    return model.objects.filter(
        user_id=user.pk, user__is_active=True, permission__codename=codename
    ).values("content_object_id")


def agency_ids_with(user, codename: str) -> models.QuerySet:
    """Agency ids on which ``user`` holds ``codename`` (a guardian object permission)."""
    model = apps.get_model("agencies", "AgencyUserObjectPermission")
    return model.objects.filter(
        user_id=user.pk, user__is_active=True, permission__codename=codename
    ).values("content_object_id")


# --- The grants of a request -------------------------------------------------------------------
# Inside a request the user's grants are read once (one statement) and restrictions use the ids
# themselves: ``agency_id IN (12)``, not ``agency_id IN (SELECT ... permission tables ...)``. With
# the sub-selects PostgreSQL had to plan an OR of hashed sub-plans over the whole table for every
# restricted statement: at 200,000 clients 13 ms to look up one client for an agency user and a
# sequential read of every client for each page (the sub-select cannot be estimated, the ids can;
# a scope the user does not hold drops out of the SQL). Outside a request (Celery tasks, shells)
# nothing is remembered and the sub-selects are used: grants may change between two statements.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.grants = {}


def _request_finished(**kwargs) -> None:
    _request.grants = None


def forget_grants() -> None:
    """Grants changed (``roles.grants``): the running request reads them again."""
    if getattr(_request, "grants", None):
        _request.grants.clear()


def connect() -> None:
    """Remember grants per request (called once per process by ``roles.apps``)."""
    request_started.connect(_request_started, dispatch_uid="roles.querysets.grants.start")
    request_finished.connect(_request_finished, dispatch_uid="roles.querysets.grants.finish")
    for label in _GRANT_MODELS:
        post_delete.connect(
            _grant_deleted, sender=label, dispatch_uid=f"roles.querysets.deleted.{label}"
        )


# Across requests the grants are kept in the shared cache (``hmis_gov.listcache``) under the
# versions of the tables they are read from: any save there changes a version (the list cache's
# post_save listener), and so does a deletion (below: only these small tables listen, so bulk
# deletes elsewhere stay fast), ``roles.grants`` (its bulk writes) and a user's deactivation
# (a save of roles_user). A revoked grant is therefore never used by a request that starts
# after the revoking transaction commits; with the cache off or down they are read every time.
_GRANT_MODELS = ("agencies.CoCUserObjectPermission", "agencies.AgencyUserObjectPermission",
                 "roles.User", "auth.Permission")  # fmt: skip


def _grant_tables() -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in _GRANT_MODELS]


def _grant_deleted(sender, **kwargs) -> None:
    from hmis_gov.listcache import tables_changed

    tables_changed(sender)


def _load_grants(user) -> dict[tuple[str, str], list[int]]:
    from hmis_gov.listcache import remembered

    database = str(connections["default"].settings_dict["NAME"])  # Redis may serve several
    parts = [database, str(user.pk)]
    return remembered("grants", parts, _grant_tables(), lambda: _read_grants(user))


def _read_grants(user) -> dict[tuple[str, str], list[int]]:
    coc_model = apps.get_model("agencies", "CoCUserObjectPermission")
    agency_model = apps.get_model("agencies", "AgencyUserObjectPermission")

    def held(model, kind: str):
        return model.objects.filter(user_id=user.pk, user__is_active=True).values_list(
            Value(kind, output_field=models.CharField()),
            "permission__codename",
            "content_object_id",
        )

    grants: dict[tuple[str, str], list[int]] = {}
    for kind, codename, object_id in held(coc_model, "coc").union(
        held(agency_model, "agency"), all=True
    ):
        grants.setdefault((kind, codename), []).append(object_id)
    return {key: sorted(ids) for key, ids in grants.items()}


def held_ids(user, codename: str, kind: str):
    """Ids of the CoCs (``kind`` "coc") or agencies ("agency") on which ``user`` holds
    ``codename``: a list inside a request, the ``coc_ids_with``/``agency_ids_with`` sub-select
    outside one."""
    memo = getattr(_request, "grants", None)
    if memo is None:
        return (coc_ids_with if kind == "coc" else agency_ids_with)(user, codename)
    grants = memo.get(user.pk)
    if grants is None:
        grants = memo[user.pk] = _load_grants(user)
    return grants.get((kind, codename), [])


def _lookup_in(model, restriction: Restriction, lookup: str, ids) -> Q:
    if lookup in restriction.to_many:
        head, _, rest = lookup.partition("__")
        relation = model._meta.get_field(head)
        if relation.one_to_many and rest and relation.field.target_field.primary_key:
            # A reverse foreign key (a client's enrollments): the ids come from the child table
            # alone, e.g. enrollment.client_id WHERE enrollment.agency_id IN (...), read through
            # the child's index on the scope; joining the parent table back in made PostgreSQL
            # read all of it for every restricted query (200,000 clients: ~90 ms for one detail).
            key = relation.field.attname
            children = relation.related_model._base_manager.filter(
                **{f"{rest}__in": ids, f"{key}__isnull": False}
            )
            return Q(pk__in=children.values(key))
        return Q(pk__in=model._base_manager.filter(**{f"{lookup}__in": ids}).values("pk"))
    return Q(**{f"{lookup}__in": ids})


def scope_filter(user, restriction: Restriction, action: str, model=None) -> Q:
    """The filter that keeps what ``user`` may do ``action`` on, as one ``Q``."""
    if action not in restriction.perms:
        raise ValueError(f"{action!r} is not an action of this model; use one of {ACTIONS}")
    coc_perm, agency_perm = restriction.perms[action]
    q = Q(pk__in=[])  # matches nothing; OR-ed with what the user holds
    if coc_perm:
        coc_ids = held_ids(user, coc_perm, "coc")
        for lookup in restriction.coc:
            q |= _lookup_in(model, restriction, lookup, coc_ids)
    if agency_perm:
        agency_ids = held_ids(user, agency_perm, "agency")
        for lookup in restriction.agency:
            q |= _lookup_in(model, restriction, lookup, agency_ids)
        if restriction.agency_grants_parent_coc:
            agency_model = apps.get_model("agencies", "Agency")
            parent_cocs = agency_model.objects.filter(pk__in=agency_ids).values("coc_id")
            for lookup in restriction.coc:
                q |= _lookup_in(model, restriction, lookup, parent_cocs)
    if restriction.self_lookup and action == "view":
        q |= Q(**{restriction.self_lookup: user.pk})
    return q


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to keep only what a user may see or act on."""

    def restrict(self, user, action: str = "view") -> RestrictedQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        restriction: Restriction = self.model.restriction
        return self.filter(scope_filter(user, restriction, action, self.model))


def may_anywhere(user, model, action: str) -> bool:
    """Whether ``user`` may do ``action`` on ``model`` in at least one scope (to offer "Add")."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    coc_perm, agency_perm = model.restriction.perms.get(action, (None, None))
    return bool(
        (coc_perm and _any(held_ids(user, coc_perm, "coc")))
        or (agency_perm and _any(held_ids(user, agency_perm, "agency")))
    )


def _any(ids) -> bool:
    return bool(ids) if isinstance(ids, list) else ids.exists()
