"""The seed's review flow: the CoC builds, each agency verifies or signs off (or asks), the CoC
locks and submits; agencies that have not verified get reminders.

Every function re-checks the permission on the report through ``restrict`` (the one
restriction) and logs a ``ReportEvent``. ``WorkflowError`` messages say what to do instead.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, AgencyUserObjectPermission
from roles.querysets import agency_ids_with

from .models import Report, ReportEvent, ReportVersion, Verification

OPEN = (Report.Status.DRAFT, Report.Status.IN_REVIEW)


class WorkflowError(Exception):
    """An action the report's state or the user's role does not allow (→ 400/403 with text)."""


class NotAllowed(WorkflowError):
    pass


def agencies_in_scope(report: Report):
    return Agency.objects.filter(projects__in=report.projects.all()).distinct().order_by("name")


def current_version(report: Report) -> ReportVersion:
    version = report.current_version()
    if version is None:
        raise WorkflowError("The report has no version yet: wait for the build to finish.")
    return version


def verification_board(report: Report) -> list[dict]:
    """Per agency in scope: its latest answer on the current version (or none yet)."""
    version = report.current_version()
    latest = {}
    if version is not None:
        for v in version.verifications.select_related("user").order_by("created"):
            latest[v.agency_id] = v
    return [
        {"agency": agency, "verification": latest.get(agency.pk)}
        for agency in agencies_in_scope(report)
    ]


def verifiable_agencies(report: Report, user) -> list[Agency]:
    """The agencies in the report's scope whose numbers ``user`` may verify."""
    if not user.is_authenticated:
        return []
    agencies = agencies_in_scope(report)
    if not user.is_superuser:
        agencies = agencies.filter(pk__in=agency_ids_with(user, "verify_reports"))
    return list(agencies)


@transaction.atomic
def answer(report: Report, user, agency: Agency, decision: str, comment: str = "") -> Verification:
    """An agency verifies (PIT/HIC), signs off (APR/DQ) or sends back a question."""
    if agency not in verifiable_agencies(report, user):
        raise NotAllowed(f"You may not verify {agency}'s numbers: only its HMIS administrator can.")
    if report.status not in OPEN:
        raise WorkflowError(
            f"The report is {report.get_status_display().lower()}: it can no longer be verified."
        )
    expected = (
        Verification.Decision.VERIFIED
        if report.kind in Report.NIGHT_KINDS
        else Verification.Decision.SIGNED_OFF
    )
    if decision not in (expected, Verification.Decision.QUESTION):
        raise WorkflowError(f"For a {report.get_kind_display()} answer '{expected}' or 'question'.")
    if decision == Verification.Decision.QUESTION and not comment.strip():
        raise WorkflowError("Write the question you are sending back.")
    verification = Verification.objects.create(
        report=report,
        version=current_version(report),
        agency=agency,
        decision=decision,
        comment=comment,
        user=user,
    )
    Report.objects.filter(pk=report.pk).update(status=Report.Status.IN_REVIEW)
    report.status = Report.Status.IN_REVIEW
    ReportEvent.objects.create(
        report=report, action=decision, user=user, detail=f"{agency}: {comment}".strip(": ")
    )
    return verification


def _require_builder(report: Report, user) -> None:
    if not Report.objects.restrict(user, "build").filter(pk=report.pk).exists():
        raise NotAllowed("Only the CoC's HMIS administrator may lock or submit this report.")


@transaction.atomic
def lock(report: Report, user) -> Report:
    _require_builder(report, user)
    if report.status not in OPEN:
        raise WorkflowError(
            f"The report is {report.get_status_display().lower()}; only a draft or a report "
            "in review can be locked."
        )
    version = current_version(report)
    now = timezone.now()
    ReportVersion.objects.filter(pk=version.pk).update(locked_at=now)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.LOCKED, locked_at=now, locked_by=user
    )
    ReportEvent.objects.create(
        report=report, action="locked", user=user, detail=f"Version {version.number} locked."
    )
    report.refresh_from_db()
    return report


@transaction.atomic
def submit(report: Report, user) -> Report:
    _require_builder(report, user)
    if report.status != Report.Status.LOCKED:
        raise WorkflowError("Lock the report before marking it submitted.")
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.SUBMITTED, submitted_at=timezone.now(), submitted_by=user
    )
    ReportEvent.objects.create(report=report, action="submitted", user=user)
    report.refresh_from_db()
    return report


def remind(report: Report, user=None) -> int:
    """E-mail the HMIS administrators of agencies that have not verified the current version."""
    if report.status not in OPEN or report.current_version() is None:
        return 0
    waiting = [
        row["agency"]
        for row in verification_board(report)
        if row["verification"] is None
        or row["verification"].decision == Verification.Decision.QUESTION
    ]
    holders = (
        AgencyUserObjectPermission.objects.filter(
            content_object__in=waiting,
            permission__codename="verify_reports",
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("content_object__name", "user__email")
        .distinct()
    )
    site = getattr(settings, "SITE_URL", "")
    messages = [
        (
            f"Please verify your numbers: {report}",
            f"{report} ({report.coc}) is waiting for {agency_name} to verify or sign off its "
            f"numbers.\n\nOpen the report: {site}{report.get_absolute_url()}\n",
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
        for agency_name, email in holders
    ]
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    ReportEvent.objects.create(
        report=report,
        action="reminded",
        user=user,
        detail=", ".join(a.name for a in waiting) or "nobody waiting",
    )
    return sent


def remind_all() -> int:
    return sum(remind(r) for r in Report.objects.filter(status__in=OPEN))
