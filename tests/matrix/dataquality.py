"""Permission matrix rows for data quality: rules, scans, flags, scorecards, plans, pages.

Detail rows need a flag on an Agency A record: ``agency_a_flag`` builds one record with a
missing disabling condition and scans XX-500 once (idempotent within a test).
"""

import datetime as dt

from .base import Row, statuses, url

# Who sees Agency A's flags: CoC reviewers (review_data_quality on XX-500) and Agency A people
# with view_flags; everybody else gets 404.
SEES_A_FLAGS = {"cocadmin": 200, "director_a": 200, "dqm_a": 200, "staff_a": 200}


def agency_a_flag(demo) -> int:
    from dataquality.models import Flag, Scan
    from dataquality.scans import run_scan
    from dataquality.testing import HmisBuilder

    flag = Flag.objects.filter(agency=demo.agency_a).first()
    if flag is None:
        HmisBuilder(demo.xx500, demo.agency_a).enrollment(disabling_condition=99)
        scan = Scan.objects.create(coc=demo.xx500, as_of=dt.date.today())
        run_scan(scan.pk)
        flag = Flag.objects.get(agency=demo.agency_a)
    return flag.pk


def first_event(demo) -> int:
    from dataquality.models import FlagEvent

    return FlagEvent.objects.filter(flag_id=agency_a_flag(demo)).first().pk


def coc_scan(demo) -> int:
    from dataquality.models import Scan

    agency_a_flag(demo)
    return Scan.objects.filter(coc=demo.xx500, agency__isnull=True).first().pk


def rule_setting(demo) -> int:
    from dataquality.models import RuleSetting
    from dataquality.scans import ensure_rule_settings

    ensure_rule_settings(demo.xx500.pk)
    return RuleSetting.objects.get(coc=demo.xx500, code="NAME_MISSING").pk


def plan(demo) -> int:
    from dataquality.models import DataQualityPlan

    return DataQualityPlan.objects.get_or_create(coc=demo.xx500)[0].pk


def scorecard_row(demo) -> int:
    from dataquality.models import ScanResult

    agency_a_flag(demo)
    return ScanResult.objects.filter(agency=demo.agency_a).first().pk


API_ROWS = [
    Row("dq-rule-list", "GET", url("dq-rule-list"), statuses(200, 401)),
    Row(
        "dq-rule-detail",
        "GET",
        url("dq-rule-detail", rule_setting),
        statuses(404, 401, **SEES_A_FLAGS, dqm_b=200),
    ),
    Row(
        "dq-rule-detail",
        "PATCH",
        url("dq-rule-detail", rule_setting),
        statuses(404, 401, cocadmin=200, director_a=403, dqm_a=403, staff_a=403, dqm_b=403),
        body=lambda demo: {"enabled": False},
    ),
    Row("dq-scan-list", "GET", url("dq-scan-list"), statuses(200, 401)),
    Row(
        "dq-scan-list",
        "POST",
        url("dq-scan-list"),
        statuses(403, 401, cocadmin=202, cocadmin2=400),
        body=lambda demo: {"coc": demo.xx500.pk},
        label="POST dq-scan-list (CoC)",
    ),
    Row(
        "dq-scan-list",
        "POST",
        url("dq-scan-list"),
        statuses(403, 401, cocadmin=202, dqm_a=202, cocadmin2=400, dqm_b=400),
        body=lambda demo: {"agency": demo.agency_a.pk},
        label="POST dq-scan-list (agency)",
    ),
    Row(
        "dq-scan-detail",
        "GET",
        url("dq-scan-detail", coc_scan),
        statuses(404, 401, cocadmin=200),
    ),
    Row("dq-flag-list", "GET", url("dq-flag-list"), statuses(200, 401)),
    Row(
        "dq-flag-detail",
        "GET",
        url("dq-flag-detail", agency_a_flag),
        statuses(404, 401, **SEES_A_FLAGS),
    ),
    Row(
        "dq-flag-detail",
        "PATCH",
        url("dq-flag-detail", agency_a_flag),
        statuses(404, 401, cocadmin=200, dqm_a=200, director_a=403, staff_a=403),
        body=lambda demo: {"status": "in_review"},
    ),
    Row(
        "dq-flag-comments",
        "GET",
        url("dq-flag-comments", agency_a_flag),
        statuses(404, 401, **SEES_A_FLAGS),
    ),
    Row(
        "dq-flag-comments",
        "POST",
        url("dq-flag-comments", agency_a_flag),
        statuses(404, 401, cocadmin=201, dqm_a=201, director_a=403, staff_a=403),
        body=lambda demo: {"text": "Asked the case worker."},
    ),
    Row("dq-flag-event-list", "GET", url("dq-flag-event-list"), statuses(200, 401)),
    Row(
        "dq-flag-event-detail",
        "GET",
        url("dq-flag-event-detail", first_event),
        statuses(404, 401, **SEES_A_FLAGS),
    ),
    Row("dq-scorecard-list", "GET", url("dq-scorecard-list"), statuses(200, 401)),
    Row(
        "dq-scorecard-detail",
        "GET",
        url("dq-scorecard-detail", scorecard_row),
        statuses(404, 401, **SEES_A_FLAGS),
    ),
    Row("dq-plan-list", "GET", url("dq-plan-list"), statuses(200, 401)),
    Row(
        "dq-plan-detail",
        "GET",
        url("dq-plan-detail", plan),
        statuses(200, 401, cocadmin2=404),
    ),
    Row(
        "dq-plan-detail",
        "PATCH",
        url("dq-plan-detail", plan),
        statuses(403, 401, cocadmin=200, cocadmin2=404),
        body=lambda demo: {"scan_time": "03:30"},
    ),
]

PAGE_ROWS = [
    Row("dataquality:inbox", "GET", url("dataquality:inbox"), statuses(200, 302), api=False),
    Row(
        "dataquality:flag",
        "GET",
        url("dataquality:flag", agency_a_flag),
        statuses(404, 302, **SEES_A_FLAGS),
        api=False,
    ),
    Row(
        "dataquality:scan_list", "GET", url("dataquality:scan_list"), statuses(200, 302), api=False
    ),
    Row(
        "dataquality:scan",
        "GET",
        url("dataquality:scan", coc_scan),
        statuses(404, 302, cocadmin=200),
        api=False,
    ),
    Row(
        "dataquality:scorecard",
        "GET",
        url("dataquality:scorecard"),
        statuses(200, 302),
        api=False,
    ),
    Row(
        "dataquality:rule_list", "GET", url("dataquality:rule_list"), statuses(200, 302), api=False
    ),
    Row(
        "dataquality:rule_edit",
        "GET",
        url("dataquality:rule_edit", rule_setting),
        statuses(404, 302, cocadmin=200, director_a=403, dqm_a=403, staff_a=403, dqm_b=403),
        api=False,
    ),
    Row(
        "dataquality:plan_edit",
        "GET",
        url("dataquality:plan_edit", lambda demo: demo.xx500.pk),
        statuses(403, 302, cocadmin=200, cocadmin2=404),
        api=False,
    ),
]

ROWS = API_ROWS + PAGE_ROWS
