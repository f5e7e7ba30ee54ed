"""Data sharing follows client consent (release of information).

The rule: a person sees a client's identifying data (names, SSN, date of birth) only if the
``hmis`` app's own PII permission allows it (``Client.objects.restrict(user, "pii")``) AND one of

1. they hold ``view_client_pii`` on the client's CoC (the CoC HMIS administrator runs the system);
2. the client's data is their agency's own: the client's source is their agency's system, or
   their agency entered the client (the agency of the client's earliest enrollment);
3. a current consent of the client covers their agency: held by it, shared CoC-wide, or
   listing it.

So without a current consent another agency sees no identifying data of that client.

How the hmis app uses this (both are one SQL query whatever the number of clients):

- lists: ``annotate_identifying(user, Client.objects.restrict(user))`` adds a boolean
  ``identifying_ok`` per row; show names/DOB/SSN only where it is true, "(no consent)" otherwise;
- one client / exports with PII: ``identifying_visible(user, qs)`` keeps only the clients whose
  identifying data may be shown (``.filter(pk=client.pk).exists()`` for a detail page).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.apps import apps
from django.db.models import BooleanField, Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from roles.querysets import held_ids, scope_filter

PII = "view_client_pii"


def _models():
    return apps.get_model("hmis", "Client"), apps.get_model("hmis", "Enrollment")


def entering_agency() -> Subquery:
    """The agency of the client's earliest enrollment: the agency that entered the client."""
    _, enrollment = _models()
    return Subquery(
        enrollment.objects.filter(client=OuterRef("pk"), agency__isnull=False)
        .order_by("entry_date", "pk")
        .values("agency_id")[:1]
    )


def consenting_clients(agency_ids, on: datetime.date | None = None) -> QuerySet:
    """Ids of clients with a current consent that covers any of ``agency_ids``."""
    from governance.models import ClientConsent

    agency_model = apps.get_model("agencies", "Agency")
    cocs_of_agencies = agency_model.objects.filter(pk__in=agency_ids).values("coc_id")
    covers = (
        Q(agency_id__in=agency_ids)
        | Q(scope=ClientConsent.Scope.COC, coc_id__in=cocs_of_agencies)
        | Q(scope=ClientConsent.Scope.LISTED, shared_with__in=agency_ids)
    )
    return ClientConsent.objects.current(on).filter(covers).values("client_id")


def identifying_q(user, on: datetime.date | None = None) -> Q:
    """A ``Q`` over ``hmis.Client`` (needs the ``_entering_agency`` alias, see below)."""
    client, _ = _models()
    agency_ids = held_ids(user, PII, "agency")
    # The "pii" restriction as a filter on the same rows, not ``pk IN (restricted clients)``:
    # that sub-select made PostgreSQL read every client of the CoC to check one page of 50
    # (200,000 clients: 50-90 ms per list). Callers handle superusers and inactive users.
    return scope_filter(user, client.restriction, "pii", client) & (
        Q(coc_id__in=held_ids(user, PII, "coc"))
        | Q(source__agency_id__in=agency_ids)
        | Q(_entering_agency__in=agency_ids)
        | Q(pk__in=consenting_clients(agency_ids, on))
    )


def annotate_identifying(user, clients: QuerySet, on=None) -> QuerySet:
    """``clients`` with a boolean ``identifying_ok``: may ``user`` see this client's identity?"""
    if user.is_superuser:
        return clients.annotate(identifying_ok=Value(True, output_field=BooleanField()))
    if not user.is_authenticated or not user.is_active:
        return clients.annotate(identifying_ok=Value(False, output_field=BooleanField()))
    return clients.alias(_entering_agency=entering_agency()).annotate(
        identifying_ok=Case(
            When(identifying_q(user, on), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def identifying_visible(user, clients: QuerySet, on=None) -> QuerySet:
    """Only the clients whose identifying data ``user`` may see."""
    if user.is_superuser:
        return clients
    if not user.is_authenticated or not user.is_active:
        return clients.none()
    return clients.alias(_entering_agency=entering_agency()).filter(identifying_q(user, on))


def agencies_with_consent(clients: QuerySet, on=None) -> dict[int, set[int]]:
    """client id -> ids of agencies a current consent lets see it (for pages that explain it).

    ``0`` in the set stands for "every participating agency of the CoC".
    """
    from governance.models import ClientConsent

    result: dict[int, set[int]] = defaultdict(set)
    consents = ClientConsent.objects.current(on).filter(client__in=clients.values("pk"))
    for client_id, agency_id, scope, shared in consents.values_list(
        "client_id", "agency_id", "scope", "shared_with"
    ):
        result[client_id].add(agency_id)
        if scope == ClientConsent.Scope.COC:
            result[client_id].add(0)
        elif scope == ClientConsent.Scope.LISTED and shared:
            result[client_id].add(shared)
    return dict(result)


def consent_checks(agency_ids, on: datetime.date | None = None) -> dict:
    """Compliance "consents maintained": every client open at the agency has a current consent
    on file at that agency. Two queries for all agencies."""
    from governance.compliance import GAP, PASS, Check
    from governance.models import ClientConsent

    on = on or timezone.localdate()
    _, enrollment = _models()
    open_pairs = set(
        enrollment.objects.filter(agency_id__in=agency_ids, date_deleted__isnull=True)
        .filter(Q(exit__isnull=True) | Q(exit__exit_date__gt=on))
        .values_list("agency_id", "client_id")
        .distinct()
    )
    held = set(
        ClientConsent.objects.current(on)
        .filter(agency_id__in=agency_ids)
        .values_list("agency_id", "client_id")
    )
    totals: dict[int, int] = defaultdict(int)
    missing: dict[int, int] = defaultdict(int)
    for agency_id, client_id in open_pairs:
        totals[agency_id] += 1
        if (agency_id, client_id) not in held:
            missing[agency_id] += 1
    checks = {}
    for agency_id, total in totals.items():
        if missing[agency_id]:
            checks[agency_id] = Check(
                GAP, f"{missing[agency_id]} of {total} open clients have no current consent."
            )
        else:
            checks[agency_id] = Check(PASS, f"All {total} open clients have a current consent.")
    return checks
