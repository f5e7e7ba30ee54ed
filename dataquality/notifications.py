"""The daily digest: each agency's data-quality manager gets its new and overdue flags by e-mail.

Console e-mail backend by default (settings.EMAIL_BACKEND), SMTP by settings. Recipients are the
people holding the agency HMIS administrator / data-quality manager role today, with an address.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.utils import timezone

from .models import DataQualityPlan, Flag

OPEN = ("open", "in_review")


def send_digests(now: dt.datetime | None = None) -> int:
    """Send one message per manager and agency with new or overdue flags; returns the number."""
    from roles.models import RoleAssignment

    now = now or timezone.now()
    overdue_days = dict(DataQualityPlan.objects.values_list("coc_id", "overdue_days"))
    since = now - dt.timedelta(days=1)
    rows = (
        Flag.objects.filter(status__in=OPEN, agency__isnull=False)
        .values("agency_id", "agency__name", "coc_id")
        .annotate(
            new=Count("pk", filter=Q(first_found__gte=since)),
            open=Count("pk"),
            oldest=Count("pk", filter=Q(first_found__lt=now - dt.timedelta(days=30))),
        )
    )
    managers = defaultdict(list)
    for a in (
        RoleAssignment.objects.active()
        .filter(role__key="agency_hmis_admin", agency__isnull=False, user__is_active=True)
        .exclude(user__email="")
        .values("agency_id", "user__email")
    ):
        managers[a["agency_id"]].append(a["user__email"])
    sent = 0
    for row in rows:
        days = overdue_days.get(row["coc_id"], 30)
        overdue = row["oldest"] if days == 30 else Flag.objects.filter(
            agency_id=row["agency_id"], status__in=OPEN,
            first_found__lt=now - dt.timedelta(days=days),
        ).count()  # fmt: skip
        if not (row["new"] or overdue) or not managers[row["agency_id"]]:
            continue
        body = (
            f"Data quality at {row['agency__name']}:\n"
            f"- {row['new']} new flag(s) since yesterday\n"
            f"- {overdue} flag(s) open for more than {days} days\n"
            f"- {row['open']} open or in review in all\n\n"
            f"Open your inbox: /data-quality/?agency={row['agency_id']}\n"
        )
        send_mail(
            f"[HMIS] Data-quality digest: {row['new']} new, {overdue} overdue",
            body,
            settings.DEFAULT_FROM_EMAIL,
            managers[row["agency_id"]],
        )
        sent += 1
    return sent
