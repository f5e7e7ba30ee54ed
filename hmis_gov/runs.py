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
import datetime as dt
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


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


def send(task, pk: int) -> bool:
    """Hand a run to the broker; False (logged) when the broker cannot be reached.

    A run is a row first and a message second: when Redis is down the row stays ``queued`` and
    ``requeue_stale_runs`` sends it again once the broker is back, so the request that queued it
    answers as usual instead of failing after its row was committed.
    """
    from kombu.exceptions import OperationalError as BrokerError

    try:
        task.delay(pk)
    except BrokerError as exc:  # kombu's wrapper of the connection errors of every transport
        log.warning("broker unreachable, %s %s stays queued: %s", task.name, pk, exc)
        return False
    return True


@dataclass(frozen=True)
class RunKind:
    """A kind of background run: its model, its task and how a live worker holds it."""

    model_label: str
    task: str  # the dotted path of the task function
    queued: str
    running: str
    # The advisory lock a live worker holds while it works the run: (namespace, id) where the
    # namespace is fixed (scans) or derived from the model (``claimed``).
    lock_namespace: int | None = None

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def namespace(self) -> int:
        if self.lock_namespace is not None:
            return self.lock_namespace
        return _lock_keys(self.model, 0)[0]


def run_kinds() -> list[RunKind]:
    from dataquality.scans import LOCK_NAMESPACE

    return [
        RunKind("hmis.ImportRun", "hmis.tasks.run_import_task", "queued", "running"),
        RunKind(
            "dataquality.Scan",
            "dataquality.tasks.scan_task",
            "queued",
            "running",
            lock_namespace=LOCK_NAMESPACE,
        ),
        RunKind("reports.ReportRun", "reports.tasks.build_report", "queued", "running"),
    ]


def stale_runs(kind: RunKind, cutoff) -> list[int]:
    """Ids of runs of ``kind`` whose message may be lost: still queued since before ``cutoff``,
    or (PostgreSQL) running since before ``cutoff`` with no live worker holding their lock.
    One statement per kind, whatever the number of runs."""
    model = kind.model
    stale = Q(status=kind.queued, created__lt=cutoff)
    runs = model._base_manager.order_by("pk")
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        held = RawSQL(
            "EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            f"AND l.classid::bigint = %s AND l.objid::bigint = {table}.id AND l.objsubid = 2)",
            [kind.namespace()],
            output_field=BooleanField(),
        )
        runs = runs.annotate(held=held)
        stale |= Q(status=kind.running, started__lt=cutoff, held=False)
    return list(runs.filter(stale).values_list("pk", flat=True))


def requeue_stale_runs(now=None) -> dict[str, int]:
    """Send again every run whose message may have been lost (the beat task calls this).

    A Redis without persistence loses its queue when it restarts, and a run queued while Redis
    was down never reached it. Sending a run twice is harmless: the run is claimed exactly once
    (``claimed``; scans: ``dataquality.scans.claim``) and a finished run is never run again.
    Returns how many runs of each model were sent.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=settings.RUNS_REQUEUE_AFTER)
    sent = {}
    for kind in run_kinds():
        ids = stale_runs(kind, cutoff)
        task = import_string(kind.task)
        sent[kind.model_label] = sum(send(task, pk) for pk in ids)
        if ids:
            log.info(
                "requeued %s of %s stale %s runs",
                sent[kind.model_label],
                len(ids),
                kind.model_label,
            )
    return sent
