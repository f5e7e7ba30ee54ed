"""What people do to flags: change status (with a reason), comment, assign. Every act is logged."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Flag, FlagEvent

# Statuses a person may set; "fixed" is only ever set by a scan that no longer finds the defect.
PEOPLE_STATUSES = (
    Flag.Status.OPEN,
    Flag.Status.IN_REVIEW,
    Flag.Status.RESOLVED,
    Flag.Status.ACCEPTED,
)


def change_status(flag: Flag, status: str, user, reason: str = "") -> Flag:
    if status not in PEOPLE_STATUSES:
        raise ValidationError(
            {"status": f"Choose one of {', '.join(PEOPLE_STATUSES)}; 'fixed' is set by scans."}
        )
    if status == Flag.Status.ACCEPTED and not reason.strip():
        raise ValidationError({"reason": "Say why the record is accepted as it is."})
    if status == flag.status and not reason:
        return flag
    with transaction.atomic():
        FlagEvent.objects.create(
            flag=flag,
            kind=FlagEvent.Kind.STATUS,
            from_status=flag.status,
            to_status=status,
            text=reason,
            user=user,
            created=timezone.now(),
        )
        flag.status, flag.status_changed = status, timezone.now()
        if reason:
            flag.reason = reason
        flag.save(update_fields=["status", "status_changed", "reason"])
    return flag


def comment(flag: Flag, user, text: str) -> FlagEvent:
    if not text.strip():
        raise ValidationError({"text": "Write a comment."})
    return FlagEvent.objects.create(
        flag=flag, kind=FlagEvent.Kind.COMMENT, text=text.strip(), user=user, created=timezone.now()
    )


def assign(flag: Flag, assignee, user) -> Flag:
    FlagEvent.objects.create(
        flag=flag,
        kind=FlagEvent.Kind.ASSIGNED,
        text=str(assignee) if assignee else "nobody",
        user=user,
        created=timezone.now(),
    )
    flag.assignee = assignee
    flag.save(update_fields=["assignee"])
    return flag
