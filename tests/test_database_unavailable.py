"""A database connection lost in the middle of a request: a clean 503, and nothing half written.

The real fault (``pg_terminate_backend`` during a write) is in
``tests/production/test_faults_outages.py``; here the connection error is raised where the second
write of a flag update would be, so both paths are checked on SQLite too.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError

from dataquality.models import Flag, FlagEvent, Scan
from dataquality.scans import run_scan
from dataquality.testing import HmisBuilder

AS_OF = dt.date(2025, 9, 30)
LOST = "terminating connection due to administrator command"


@pytest.fixture
def flag(demo):
    build = HmisBuilder(demo.xx500, demo.agency_a, as_of=AS_OF)
    build.enrollment(client=build.client(first_name="", name_data_quality=99))
    run_scan(Scan.objects.create(coc=demo.xx500, as_of=AS_OF).pk)
    return Flag.objects.get(rule="NAME_MISSING", status=Flag.Status.OPEN)


@pytest.fixture
def connection_lost_on_flag_save(monkeypatch):
    """The flag's UPDATE (after its history row was inserted) finds the connection gone."""
    real_save = Flag.save

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") and "status" in kwargs["update_fields"]:
            raise OperationalError(LOST)
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Flag, "save", save)


def test_the_api_answers_503_in_its_error_shape_and_writes_nothing(
    flag, api_as, connection_lost_on_flag_save
):
    events = FlagEvent.objects.filter(flag=flag).count()
    response = api_as("dqm_a").patch(
        f"/api/v1/dq/flags/{flag.pk}/",
        {"status": "in_review", "reason": "calling the shelter"},
        format="json",
    )
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == 503 and body["code"] == "database_unavailable"
    assert "nothing was saved" in body["detail"]
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN
    assert FlagEvent.objects.filter(flag=flag).count() == events  # the history row rolled back


def test_a_page_answers_a_503_page_and_writes_neither_comment_nor_status(
    flag, web_as, connection_lost_on_flag_save
):
    events = FlagEvent.objects.filter(flag=flag).count()
    client = web_as("dqm_a")
    response = client.post(
        f"/data-quality/flags/{flag.pk}/",
        {"comment": "Called the shelter", "status": "in_review", "reason": ""},
    )
    assert response.status_code == 503
    assert "text/html" in response["Content-Type"]
    assert b"Temporarily unavailable" in response.content
    assert b"Nothing you sent was" in response.content
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN
    assert FlagEvent.objects.filter(flag=flag).count() == events  # not even the comment


def test_other_database_errors_are_not_reported_as_an_outage(flag, api_as, monkeypatch):
    from django.db import IntegrityError

    def save(self, *args, **kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(Flag, "save", save)
    client = api_as("dqm_a")
    client.raise_request_exception = False
    response = client.patch(f"/api/v1/dq/flags/{flag.pk}/", {"status": "in_review"}, format="json")
    assert response.status_code == 500
