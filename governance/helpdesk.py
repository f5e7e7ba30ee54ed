"""Helpdesk e-mail updates: the requester and the assignee hear of every change."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.utils import timezone

from governance.models import Ticket, TicketComment


def notify(ticket: Ticket, subject: str, message: str, actor=None) -> int:
    """Mail the requester and the assignee (not the person who made the change)."""
    people = [ticket.opened_by, ticket.assignee]
    to = sorted(
        {p.email for p in people if p is not None and p.email and (actor is None or p != actor)}
    )
    if not to:
        return 0
    return send_mail(
        subject=f"[Helpdesk #{ticket.pk}] {subject}",
        message=f"{message}\n\nTicket: {ticket.subject}\nStatus: {ticket.get_status_display()}\n"
        f"Due by: {timezone.localtime(ticket.due_at):%Y-%m-%d %H:%M}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=to,
    )


def add_comment(ticket: Ticket, author, body: str) -> TicketComment:
    comment = TicketComment.objects.create(ticket=ticket, author=author, body=body)
    if ticket.first_response_at is None and author != ticket.opened_by:
        Ticket.objects.filter(pk=ticket.pk, first_response_at__isnull=True).update(
            first_response_at=timezone.now()
        )
    notify(ticket, "New update", f"{author.get_full_name() or author} wrote:\n\n{body}", author)
    return comment


def changed_fields(before: Ticket, after: Ticket) -> list[str]:
    lines = []
    for name in ("status", "priority", "queue", "assignee"):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            label = Ticket._meta.get_field(name).verbose_name
            lines.append(f"{label}: {old or '—'} → {new or '—'}")
    return lines


def overdue(queryset: QuerySet) -> QuerySet:
    return queryset.filter(status__in=Ticket.OPEN_STATUSES, due_at__lt=timezone.now())
