"""E-mail reminders 60 and 30 days before an agreement expires."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from governance.models import Agreement
from governance.models.agreements import REMINDER_DAYS


def recipients(agreement: Agreement) -> list[str]:
    """The agency's authorizing agent and the CoC's signatory, when they have an address."""
    people = [agreement.authorizing_agent, agreement.signatory]
    return sorted({p.email for p in people if p is not None and p.email})


def send_expiry_reminders(on: datetime.date | None = None) -> dict[int, int]:
    """Send each due reminder once; returns {days before expiry: reminders sent}.

    An agreement is due for the 60-day reminder when it expires within 60 days and that
    reminder was not sent; likewise for 30. Each is claimed with a conditional UPDATE before
    the mail goes out, so two workers never send the same reminder twice.
    """
    on = on or timezone.localdate()
    sent = {days: 0 for days in REMINDER_DAYS}
    for days in REMINDER_DAYS:
        field = f"reminder_{days}_sent_on"
        due = (
            Agreement.objects.current(on)
            .filter(expires_on__lte=on + datetime.timedelta(days=days), **{field: None})
            .select_related("agency", "coc", "authorizing_agent", "signatory")
        )
        for agreement in due:
            if agreement.expires_on - on <= datetime.timedelta(days=30) and days == 60:
                # Already inside 30 days (e.g. the agreement was entered late): the 30-day
                # reminder covers it; mark the 60-day one without a second mail.
                Agreement.objects.filter(pk=agreement.pk, **{field: None}).update(**{field: on})
                continue
            claimed = Agreement.objects.filter(pk=agreement.pk, **{field: None}).update(
                **{field: on}
            )
            if claimed != 1:
                continue
            to = recipients(agreement)
            if not to:
                continue
            left = (agreement.expires_on - on).days
            send_mail(
                subject=f"[{agreement.coc.code}] {agreement.title} expires in {left} days",
                message=(
                    f"The {agreement.get_kind_display()} between {agreement.coc} and "
                    f"{agreement.agency} expires on {agreement.expires_on:%B %d, %Y}.\n\n"
                    "Without a current participation agreement the agency cannot be given new "
                    "user accounts. Please renew it before that date.\n\n"
                    f"Agreement: {reverse('governance:agreement', args=[agreement.pk])}\n"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=to,
            )
            sent[days] += 1
    return sent
