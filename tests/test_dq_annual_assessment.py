"""Income at annual assessment (APR/CAPER Q6c row 4, DQ Q4; 4.02 DataCollectionStage 5).

HUD Reporting Glossary "Annual Assessment" (REFERENCE.md §3.4, §4.5): a stayer whose household
has been in the project a year or more must have a stage-5 income record dated within 30 days
before or after the latest anniversary of the household's start (and not after the report end).
Members who joined after that anniversary are not due yet.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dataquality.rules import RULES, Context
from dataquality.testing import HmisBuilder
from hmis import models as hmis

AS_OF = dt.date(2025, 9, 30)


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def plus_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)


@pytest.fixture
def build(demo):
    return HmisBuilder(demo.xx500, demo.agency_a, as_of=AS_OF)


def missing_annual(demo) -> set[str]:
    """The enrollments the INCOME_ANNUAL_MISSING rule selects (one SQL statement)."""
    rule = RULES["INCOME_ANNUAL_MISSING"].select
    enrollments = hmis.Enrollment.objects.live().filter(coc=demo.xx500)
    return set(rule(enrollments, Context(as_of=AS_OF)).values_list("enrollment_id", flat=True))


def stay(build, entry: dt.date, assessed: list[dt.date], answer: int = 0, **kw):
    enrollment = build.enrollment(entry=entry, **kw)
    for day in assessed:
        build.income(enrollment, day, stage=5, answer=answer)
    return enrollment


def test_the_annual_assessment_must_fall_within_30_days_of_the_anniversary(demo, build):
    entry = days_ago(400)
    anniversary = plus_years(entry, 1)  # 35 days before the report end
    on_time = [
        stay(build, entry, [anniversary]),
        stay(build, entry, [anniversary - dt.timedelta(days=30)]),
        stay(build, entry, [anniversary + dt.timedelta(days=30)]),
    ]
    late = [
        stay(build, entry, [anniversary - dt.timedelta(days=31)]),  # one day too early
        stay(build, entry, [days_ago(200)]),  # inside the old 395-day window, not HUD's
        stay(build, entry, [anniversary], answer=99),  # record there, answer not collected
        stay(build, entry, []),  # none at all
        # Two years in: the first anniversary's record does not cover the second.
        stay(build, days_ago(800), [plus_years(days_ago(800), 1)]),
    ]
    stay(build, days_ago(300), [])  # not a year yet: not due
    assert {e.enrollment_id for e in on_time}.isdisjoint(missing_annual(demo))
    assert missing_annual(demo) == {e.enrollment_id for e in late}


def test_anniversaries_count_from_the_households_start(demo, build):
    """A member who joined before the household's anniversary is due; one who joined after is
    not yet due, even though the member's own stay is more than a year old."""
    entry = days_ago(400)
    anniversary = plus_years(entry, 1)
    head = stay(build, entry, [anniversary], household_id="HH1")
    child_dob = dict(dob=dt.date(2015, 1, 1))
    before = stay(
        build,
        days_ago(380),
        [],
        household_id="HH1",
        relationship_to_hoh=3,
        client=build.client(dob=dt.date(1990, 1, 1)),
    )
    stay(
        build,
        days_ago(20),
        [],
        household_id="HH1",
        relationship_to_hoh=2,
        client=build.client(**child_dob),
    )
    # The household started 800 days ago; this adult joined 500 days ago, so the latest
    # household anniversary (~70 days ago) is the one due, not the member's own (~135 days ago).
    old = days_ago(800)
    stay(build, old, [plus_years(old, 2)], household_id="HH2")
    own = stay(
        build,
        days_ago(500),
        [plus_years(days_ago(500), 1)],
        household_id="HH2",
        relationship_to_hoh=3,
        client=build.client(dob=dt.date(1990, 1, 1)),
    )
    assert missing_annual(demo) == {before.enrollment_id, own.enrollment_id}
    assert head.enrollment_id not in missing_annual(demo)
