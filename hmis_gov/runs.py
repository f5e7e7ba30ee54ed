"""Claiming a background run exactly once, and taking over a run whose worker died.

Every background run (an import, a scan, a report build) is a row with a status. Celery may
deliver its task twice (late acknowledgement: a killed worker's task is redelivered), so a run is
claimed with a conditional UPDATE that must change exactly one row.

A run left ``running`` by a worker that died would never be claimed again by that rule alone. On
PostgreSQL the claimant therefore also holds a session advisory lock on the run for as long as it
works: the lock vanishes with the dead worker's connection, so a redelivered task that can take
the lock knows nobody is working on the run and takes it over (its writes were rolled back with
that connection). A redelivery while the first worker is alive cannot take the lock and leaves
the run alone. SQLite (one developer's machine) has no advisory locks: only queued runs are
claimed there.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator

from django.db import connection


def _lock_keys(model, pk: int) -> tuple[int, int]:
    # Two 32-bit keys: one per model (so ids of different models do not collide), one per row.
    namespace = zlib.crc32(model._meta.label_lower.encode()) & 0x7FFFFFFF
    return namespace, int(pk) & 0x7FFFFFFF


def _advisory(function: str, model, pk: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", _lock_keys(model, pk))
        return bool(cursor.fetchone()[0])


@contextlib.contextmanager
def claimed(model, pk: int, queued: str, running: str, **started) -> Iterator[bool]:
    """``with claimed(ImportRun, id, "queued", "running", started=now) as mine:`` — ``mine`` is
    True when this delivery owns the run (and should do the work), False otherwise."""
    if connection.vendor != "postgresql":
        updated = model._base_manager.filter(pk=pk, status=queued).update(status=running, **started)
        yield updated == 1
        return
    if not _advisory("pg_try_advisory_lock", model, pk):
        yield False  # a live worker holds the run
        return
    try:
        updated = model._base_manager.filter(pk=pk, status__in=[queued, running]).update(
            status=running, **started
        )
        yield updated == 1
    finally:
        _advisory("pg_advisory_unlock", model, pk)
