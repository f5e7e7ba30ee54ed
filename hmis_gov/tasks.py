"""Celery tasks of the project as a whole (not of one app)."""

from celery import shared_task


@shared_task(name="hmis_gov.requeue_stale_runs")
def requeue_stale_runs() -> dict[str, int]:
    from hmis_gov.runs import requeue_stale_runs as requeue

    return requeue()
