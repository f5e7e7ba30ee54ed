"""The CoC's nightly scan as a django-celery-beat PeriodicTask at the time its plan chooses."""

from __future__ import annotations

import json

from django.conf import settings
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from .models import DataQualityPlan


def task_name(coc_id: int) -> str:
    return f"dq-nightly-scan-coc-{coc_id}"


def sync_nightly_scan(plan: DataQualityPlan) -> PeriodicTask:
    """Create or update the CoC's PeriodicTask so beat queues ``nightly_scan`` at scan_time."""
    at = plan.scan_time
    if isinstance(at, str):
        hour, minute = (int(p) for p in at.split(":")[:2])
    else:
        hour, minute = at.hour, at.minute
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=str(minute),
        hour=str(hour),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task, _ = PeriodicTask.objects.update_or_create(
        name=task_name(plan.coc_id),
        defaults={
            "task": "dataquality.tasks.nightly_scan",
            "crontab": crontab,
            "interval": None,
            "args": json.dumps([plan.coc_id]),
            "enabled": plan.scan_enabled,
        },
    )
    return task
