"""Run a background job as a recorded ``TaskRun`` row (status, progress, log, error)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from governance.models import TaskRun


def run_recorded(task: str, job: Callable[[TaskRun], str]) -> TaskRun:
    """Run ``job(run)``; its return value is the log line. Failures are recorded, then raised."""
    run = TaskRun.objects.create(task=task)
    try:
        message = job(run)
    except Exception as exc:
        TaskRun.objects.filter(pk=run.pk).update(
            status=TaskRun.Status.FAILED, error=repr(exc), finished=timezone.now()
        )
        raise
    TaskRun.objects.filter(pk=run.pk).update(
        status=TaskRun.Status.DONE, log=message or "", progress=100, finished=timezone.now()
    )
    run.refresh_from_db()
    return run
