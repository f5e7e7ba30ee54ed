"""Who may see a client's identifying information, and the log of every time they do."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from hmis.models import Client, PIIAccessLog


def pii_clients(user) -> QuerySet:
    """The clients whose names, SSN and DOB ``user`` may see.

    ``restrict(user, "pii")`` (roles that need identifying data), narrowed by client consent
    (``governance.consent``): without a current release of information, another agency sees no
    identifying data of a client; the CoC's HMIS administrators and the client's own agency do.
    """
    from governance.consent import identifying_visible

    return identifying_visible(user, Client.objects.restrict(user, "pii"))


def pii_visible_ids(user, client_ids: Iterable[int]) -> set[int]:
    """Of ``client_ids``, those whose names, SSN and DOB ``user`` may see (one query)."""
    ids = list(client_ids)
    if not ids:
        return set()
    return set(pii_clients(user).filter(pk__in=ids).values_list("pk", flat=True))


def log_pii_views(user, clients: Iterable[Client], where: str) -> None:
    """One access-log row per client whose PII was shown (one INSERT)."""
    agency_id = getattr(user, "agency_id", None)
    PIIAccessLog.objects.bulk_create(
        PIIAccessLog(
            coc_id=c.coc_id,
            agency_id=agency_id,
            user=user,
            client=c,
            source_id=c.source_id,
            personal_id=c.personal_id,
            where=where[:300],
        )
        for c in clients
    )
