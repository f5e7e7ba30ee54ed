"""The audit trail: every change to a governance or role object, who made it, before and after.

django-simple-history records each save and delete (with the request's user, through its
middleware). This module reads those tables for the CoCs a person administers, newest first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import Q

from roles.querysets import coc_ids_with

# (app label, model name, lookups from the model to its CoC)
AUDITED = [
    ("governance", "Agreement", ("coc",)),
    ("governance", "Policy", ("coc",)),
    ("governance", "PolicyVersion", ("policy__coc",)),
    ("governance", "PolicyAcknowledgement", ("agency__coc",)),
    ("governance", "AccountRequest", ("agency__coc",)),
    ("governance", "AccountRecertification", ("coc",)),
    ("governance", "Course", ("coc",)),
    ("governance", "TrainingSession", ("course__coc",)),
    ("governance", "Certificate", ("user__coc",)),
    ("governance", "ClientConsent", ("coc",)),
    ("governance", "Ticket", ("coc",)),
    ("governance", "TicketComment", ("ticket__coc",)),
    ("governance", "Committee", ("coc",)),
    ("governance", "Meeting", ("committee__coc",)),
    ("governance", "ActionItem", ("meeting__committee__coc",)),
    ("governance", "PerformanceGoal", ("coc",)),
    ("governance", "PerformanceResult", ("goal__coc",)),
    ("governance", "VendorCheck", ("coc",)),
    ("governance", "OutreachNote", ("agency__coc",)),
    ("roles", "RoleAssignment", ("coc", "agency__coc")),
    ("agencies", "Agency", ("coc",)),
    ("agencies", "Project", ("agency__coc",)),
    ("agencies", "ContinuumOfCare", ("id",)),
]
# Holders of either may read the trail of their CoC.
AUDIT_PERMISSIONS = ("manage_governance", "manage_users")
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
SKIP_FIELDS = {"updated", "created"}


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    action: str
    kind: str
    object_id: int
    label: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    reason: str = ""


def audit_coc_ids(user) -> list:
    return [coc_ids_with(user, perm) for perm in AUDIT_PERMISSIONS]


def models_for(kind: str | None = None):
    for app_label, name, lookups in AUDITED:
        if kind and name.lower() != kind.lower():
            continue
        model = apps.get_model(app_label, name)
        if hasattr(model, "history"):
            yield model, lookups


def entries(
    user,
    *,
    kind: str | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    who: str | None = None,
    limit: int = 200,
) -> list[Entry]:
    """The newest ``limit`` changes the user may audit (one query per audited table)."""
    if not user.is_authenticated or not user.is_active:
        return []
    coc_sets = audit_coc_ids(user)
    rows = []
    for model, lookups in models_for(kind):
        history = model.history.model.objects.select_related("history_user")
        if not user.is_superuser:
            history = history.filter(
                reduce(or_, [Q(**{f"{lk}__in": ids}) for lk in lookups for ids in coc_sets])
            )
        if since:
            history = history.filter(history_date__date__gte=since)
        if until:
            history = history.filter(history_date__date__lte=until)
        if who:
            history = history.filter(history_user__username__iexact=who)
        rows.extend((model, rec) for rec in history.order_by("-history_date")[:limit])
    rows.sort(key=lambda pair: pair[1].history_date, reverse=True)
    rows = rows[:limit]
    previous = _previous_records(rows)
    result = []
    for model, rec in rows:
        prev = previous.get((model, rec.history_id))
        changes = []
        if prev is not None and rec.history_type == "~":
            delta = rec.diff_against(prev)
            for change in delta.changes:
                if change.field in SKIP_FIELDS:
                    continue
                changes.append((change.field, _short(change.old), _short(change.new)))
        elif rec.history_type == "+":
            changes = [
                (f.attname, "", _short(getattr(rec, f.attname)))
                for f in model._meta.concrete_fields
                if f.attname not in SKIP_FIELDS and f.attname != "id" and f.attname != "password"
            ]
        result.append(
            Entry(
                when=rec.history_date,
                who=rec.history_user.username if rec.history_user else "system",
                action=ACTIONS.get(rec.history_type, rec.history_type),
                kind=str(model._meta.verbose_name),
                object_id=rec.id,
                label=_label(rec),
                changes=changes,
                reason=rec.history_change_reason or "",
            )
        )
    return result


LABEL_FIELDS = ("title", "name", "subject", "requirement", "description", "version", "code")


def _label(rec) -> str:
    """A readable name from the record's own columns: ``str()`` would query its parents."""
    for name in LABEL_FIELDS:
        value = getattr(rec, name, None)
        if value:
            return str(value)
    return f"#{rec.id}"


def _short(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _previous_records(rows) -> dict:
    """For each record on the page, the record before it (one query per table, not per row)."""
    by_model: dict = {}
    for model, rec in rows:
        if rec.history_type == "~":
            by_model.setdefault(model, []).append(rec)
    previous = {}
    for model, recs in by_model.items():
        ids = {r.id for r in recs}
        newest = max(r.history_date for r in recs)
        candidates = list(
            model.history.model.objects.filter(id__in=ids, history_date__lte=newest).order_by(
                "id", "history_date", "history_id"
            )
        )
        per_object: dict = {}
        for cand in candidates:
            per_object.setdefault(cand.id, []).append(cand)
        for rec in recs:
            earlier = [
                c
                for c in per_object.get(rec.id, [])
                if (c.history_date, c.history_id) < (rec.history_date, rec.history_id)
            ]
            if earlier:
                previous[(model, rec.history_id)] = earlier[-1]
    return previous
