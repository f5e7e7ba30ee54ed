"""Celery tasks: thin wrappers around ``dataquality.scans`` and ``dataquality.notifications``."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def scan_task(scan_id: int) -> int | None:
    from .scans import run_scan

    scan = run_scan(scan_id)
    return scan.pk if scan else None


@shared_task
def nightly_scan(coc_id: int) -> int:
    """Queued by the CoC's PeriodicTask (django-celery-beat) at the time its plan chooses."""
    from .scans import start_scan

    return start_scan(coc_id, trigger="nightly").pk


@shared_task
def daily_digest() -> int:
    from .notifications import send_digests

    return send_digests()
