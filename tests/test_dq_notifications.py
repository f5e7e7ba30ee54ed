from __future__ import annotations

import datetime as dt

from django.core import mail

from dataquality.models import Scan
from dataquality.notifications import send_digests
from dataquality.scans import run_scan
from dataquality.testing import HmisBuilder


def test_the_daily_digest_goes_to_the_agency_dq_manager(demo):
    demo.user("dqm_a").email = "dqm_a@example.org"
    demo.user("dqm_a").save()
    HmisBuilder(demo.xx500, demo.agency_a, as_of=dt.date(2025, 9, 30)).enrollment(
        disabling_condition=99
    )
    run_scan(Scan.objects.create(coc=demo.xx500, as_of=dt.date(2025, 9, 30)).pk)
    assert send_digests() == 1
    assert mail.outbox[0].to == ["dqm_a@example.org"]
    assert "1 new flag" in mail.outbox[0].body


def test_celery_beat_sends_the_digest_every_morning(settings):
    from celery.schedules import crontab

    from dataquality import tasks
    from hmis_gov.celery import app

    app.loader.import_default_modules()  # autodiscovery, as the worker does at start
    entry = settings.CELERY_BEAT_SCHEDULE["dq-daily-digest"]
    assert entry["task"] == "dataquality.tasks.daily_digest"
    assert app.tasks[entry["task"]].name == tasks.daily_digest.name
    assert entry["schedule"] == crontab(hour=7, minute=0)
