"""Pieces every governance model shares: timestamps, the audit trail, and the task-run log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Restriction ``perms`` shared by most governance records: everybody in the scope may read
# them, the CoC's governance administrators keep them.
READ_ALL_KEEP_GOVERNANCE = {
    "view": ("view_continuumofcare", "view_agency"),
    "add": ("manage_governance", None),
    "change": ("manage_governance", None),
    "delete": ("manage_governance", None),
}


class GovernanceModel(models.Model):
    """Timestamps plus an audit trail (who, when, before and after) for every change."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # ``inherit=True``: every concrete subclass gets its own Historical<Model> table; the
    # history middleware records the request's user as ``history_user``.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class TaskRun(models.Model):
    """One run of a governance background task, so that operators see what happened.

    Not tenant data: it records counts and messages, never people or clients.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    task = models.CharField(_("task"), max_length=80)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    progress = models.PositiveIntegerField(default=0)
    log = models.TextField(blank=True)
    error = models.TextField(blank=True)
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("governance task run")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.task} {self.started:%Y-%m-%d %H:%M} ({self.status})"


def user_fk(verbose_name: str, related_name: str = "+", **kwargs) -> models.ForeignKey:
    """A nullable link to a person that survives the person's account being removed."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        **kwargs,
    )
