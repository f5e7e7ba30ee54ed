from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

from .base import GovernanceModel, user_fk

# Hours to resolve, by priority (the SLA the CoC promises its users).
SLA_HOURS = {"urgent": 4, "high": 24, "normal": 72, "low": 168}

TICKET_PERMS = {
    # Helpdesk staff see the CoC's tickets; agency HMIS administrators see their agency's;
    # everybody sees the tickets they opened (``self_lookup``).
    "view": ("manage_helpdesk", "manage_users"),
    # Any user of the CoC or an agency may open a ticket.
    "add": ("view_continuumofcare", "view_agency"),
    "change": ("manage_helpdesk", None),
    "delete": ("manage_helpdesk", None),
}


class Ticket(GovernanceModel):
    """A helpdesk ticket for the CoC HMIS administrator or the vendor."""

    class Priority(models.TextChoices):
        URGENT = "urgent", _("urgent (4 hours)")
        HIGH = "high", _("high (1 day)")
        NORMAL = "normal", _("normal (3 days)")
        LOW = "low", _("low (1 week)")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        WAITING = "waiting", _("waiting for the requester")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")

    class Queue(models.TextChoices):
        COC = "coc", _("CoC HMIS administrator")
        VENDOR = "vendor", _("HMIS vendor")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.WAITING)

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.PROTECT, related_name="tickets"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    opened_by = user_fk(_("opened by"), related_name="tickets_opened")
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    queue = models.CharField(_("for"), max_length=10, choices=Queue.choices, default=Queue.COC)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="open")
    assignee = user_fk(_("assignee"), related_name="tickets_assigned")
    due_at = models.DateTimeField(_("due by (SLA)"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",), agency=("agency",), perms=TICKET_PERMS, self_lookup="opened_by"
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created"]
        indexes = [models.Index(fields=["coc", "status", "due_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("governance:ticket", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        if self.agency_id and not self.coc_id:
            self.coc_id = self.agency.coc_id
        if self.due_at is None:
            start = self.created or timezone.now()
            self.due_at = start + datetime.timedelta(hours=SLA_HOURS[self.priority])
        if self.status in (self.Status.RESOLVED, self.Status.CLOSED) and not self.resolved_at:
            self.resolved_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class TicketComment(GovernanceModel):
    """An update on a ticket; each one is e-mailed to the requester and the assignee."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("update"))

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("ticket__coc",),
        agency=("ticket__agency",),
        perms={**TICKET_PERMS, "add": ("manage_helpdesk", "manage_users")},
        self_lookup="ticket__opened_by",
    )

    class Meta:
        verbose_name = _("ticket update")
        verbose_name_plural = _("ticket updates")
        ordering = ["created"]

    def __str__(self) -> str:
        return f"Update on {self.ticket}"

    def get_absolute_url(self) -> str:
        return self.ticket.get_absolute_url()
