"""Permission matrix rows for reports: every API route and page, every demo role."""

import datetime

from .base import Row, statuses, url

# Who reads a PIT report whose scope holds projects of agencies A and B (XX-500).
READERS = dict(staff_a=404, cocadmin2=404)


def pit_report(demo) -> int:
    """A built PIT draft of XX-500 covering A-ES1 and B-TH (no HMIS rows needed)."""
    from agencies.models import Project
    from reports.builder import build_version
    from reports.models import Report

    report, created = Report.objects.get_or_create(
        coc=demo.xx500,
        kind=Report.Kind.PIT,
        name="Matrix PIT",
        defaults={"night": datetime.date(2026, 1, 28), "status": Report.Status.DRAFT},
    )
    if created:
        report.projects.set(Project.objects.filter(hud_project_id__in=["A-ES1", "B-TH"]))
        build_version(report)
    return report.pk


def report_body(demo):
    return {
        "kind": "pit",
        "coc": demo.xx500.pk,
        "projects": [demo.project_a.pk],
        "night": "2026-01-28",
    }


def answer_body(demo):
    return {"agency": demo.agency_a.pk, "decision": "verified", "comment": "ok"}


def unsheltered_body(demo):
    return {"persons": 12, "households": 10}


API_ROWS = [
    Row("report-list", "GET", url("report-list"), statuses(200, 401)),
    Row(
        "report-list",
        "POST",
        url("report-list"),
        statuses(403, 401, cocadmin=202, cocadmin2=400),
        body=report_body,
        note="Only the CoC's HMIS admin builds; XX-501's admin cannot name XX-500 (invalid id).",
    ),
    Row("report-detail", "GET", url("report-detail", pit_report), statuses(200, 401, **READERS)),
    Row(
        "report-rebuild",
        "POST",
        url("report-rebuild", pit_report),
        statuses(403, 401, cocadmin=202, **READERS),
    ),
    Row(
        "report-verify",
        "POST",
        url("report-verify", pit_report),
        # Agency B's admin cannot verify A's numbers; CoC-wide readers cannot either.
        statuses(403, 401, dqm_a=200, director_a=403, **READERS),
        body=answer_body,
    ),
    Row(
        "report-lock",
        "POST",
        url("report-lock", pit_report),
        statuses(403, 401, cocadmin=200, **READERS),
    ),
    Row(
        "report-submit",
        "POST",
        url("report-submit", pit_report),
        statuses(403, 401, cocadmin=400, **READERS),
        note="cocadmin: 400 because the report is not locked yet.",
    ),
    Row(
        "report-remind",
        "POST",
        url("report-remind", pit_report),
        statuses(403, 401, cocadmin=200, **READERS),
    ),
    Row(
        "report-unsheltered",
        "POST",
        url("report-unsheltered", pit_report),
        statuses(403, 401, cocadmin=200, **READERS),
        body=unsheltered_body,
    ),
    Row(
        "report-versions",
        "GET",
        url("report-versions", pit_report),
        statuses(200, 401, **READERS),
    ),
    Row(
        "report-cell",
        "GET",
        url("report-cell", pit_report, "PIT_AO", "E3"),
        statuses(200, 401, **READERS),
    ),
    Row(
        "report-export",
        "GET",
        lambda demo: url("report-export", pit_report)(demo) + "?format=xlsx",
        statuses(200, 401, **READERS),
    ),
]

PAGE_ROWS = [
    Row("reports:report_list", "GET", url("reports:report_list"), statuses(200, 302), api=False),
    Row(
        "reports:report_add",
        "GET",
        url("reports:report_add"),
        statuses(403, 302, cocadmin=200, cocadmin2=200),
        api=False,
    ),
    Row(
        "reports:report",
        "GET",
        url("reports:report", pit_report),
        statuses(200, 302, **READERS),
        api=False,
    ),
    Row(
        "reports:report_action",
        "POST",
        url("reports:report_action", pit_report, "lock"),
        statuses(403, 302, cocadmin=302, **READERS),
        api=False,
    ),
    Row(
        "reports:report_cell",
        "GET",
        url("reports:report_cell", pit_report, "PIT_AO", "E3"),
        statuses(200, 302, **READERS),
        api=False,
    ),
    Row(
        "reports:report_export",
        "GET",
        url("reports:report_export", pit_report, "csv"),
        statuses(200, 302, **READERS),
        api=False,
    ),
]

ROWS = API_ROWS + PAGE_ROWS
