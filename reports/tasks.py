"""Celery tasks: thin wrappers around the runners, which record each run as a row."""

from celery import shared_task


@shared_task(name="reports.build_report")
def build_report(run_id: int) -> str:
    from .builder import run_build

    run = run_build(run_id)
    return run.status if run else "skipped"


@shared_task(name="reports.send_reminders")
def send_reminders() -> int:
    from .workflow import remind_all

    return remind_all()
