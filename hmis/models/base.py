"""Sources, import runs and the abstract base of every HUD record."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction


class Source(models.Model):
    """One vendor system feeding the CoC. HUD ids are unique within a source, never across."""

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare",
        verbose_name=_("CoC"),
        on_delete=models.PROTECT,
        related_name="hmis_sources",
    )
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_("A short name, unique in the CoC, used by the API (e.g. 'clarity')."),
    )
    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hmis_sources",
        help_text=_(
            "Set when the source is one agency's own system: its HMIS administrator may upload "
            "it, and its exports may hold only that agency's organization."
        ),
    )
    software_name = models.CharField(_("software"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",),
        agency=("agency",),
        perms={
            "view": ("view_continuumofcare", "view_agency"),
            "add": ("import_data", None),
            "change": ("import_data", None),
            "delete": (None, None),
            # Uploading an export of this source.
            "import": ("import_data", "import_data"),
        },
    )

    class Meta:
        verbose_name = _("HMIS source")
        verbose_name_plural = _("HMIS sources")
        ordering = ["coc__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["coc", "key"], name="hmis_source_unique_key_per_coc")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hmis:source", args=[self.pk])


class ImportRun(models.Model):
    """One upload of an HMIS CSV export: its status, progress, counts and problems."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare",
        verbose_name=_("CoC"),
        on_delete=models.PROTECT,
        related_name="hmis_imports",
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="imports"
    )
    file = models.CharField(
        _("uploaded file"), max_length=500, help_text=_("Path under PRIVATE_MEDIA_ROOT.")
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.BigIntegerField(_("size in bytes"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    csv_version = models.CharField(_("CSV version"), max_length=50, blank=True)
    export_period_type = models.IntegerField(_("ExportPeriodType"), null=True, blank=True)
    export_directive = models.IntegerField(_("ExportDirective"), null=True, blank=True)
    hash_status = models.IntegerField(_("HashStatus"), null=True, blank=True)
    counts = models.JSONField(_("rows per file"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    notes = models.JSONField(
        _("notes"), default=list, blank=True, help_text=_("e.g. FY2024 columns mapped to FY2026.")
    )
    progress = models.JSONField(
        _("progress per file"),
        default=dict,
        blank=True,
        help_text=_('{"Client.csv": {"stage": "validated", "rows": 4146}, ...}'),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hmis_imports",
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # Problems quote values from the file, so only people who may upload see a run.
    restriction = Restriction(
        coc=("coc",),
        agency=("source__agency",),
        perms={
            "view": ("import_data", "import_data"),
            "add": ("import_data", "import_data"),
            "change": (None, None),
            "delete": (None, None),
        },
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.original_name or self.file}"

    def get_absolute_url(self) -> str:
        return reverse("hmis:import", args=[self.pk])

    @property
    def file_path(self) -> str:
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / self.file)

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class HudRecord(models.Model):
    """What every HUD record has beside its columns: the source and the CoC it belongs to.

    The keys to the source, the CoC and the other HUD records of the same source (project,
    client, enrollment, assessment...) have no database constraint (``db_constraint=False``;
    issue 4 item 9). Only the importer writes these tables, and it checks every reference once
    per import, set-based, before it writes (``hmis.importer.staging.check``); its
    ``INSERT … SELECT`` then takes each parent id from a ``JOIN`` on the parent row written
    earlier in the same transaction, so an id can only be one that exists, and the write holds
    the source row locked (``staging.lock_source``) so no other import or deletion of the
    source interleaves. A constraint would check all of this again once per row and per key
    (about 9 million checks at 200,000 clients, more than half of the import's time).
    Deletions still cascade: Django's ``on_delete`` runs in the ORM, never in the database.
    The keys to agencies (outside the importer's control) keep their constraints.
    """

    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        db_constraint=False,
        # The unique (source, HUD id) index of every HUD table starts with the source: a
        # second index on the source alone would only cost every insert one more entry.
        db_index=False,
        related_name="+",
        verbose_name=_("source"),
    )
    coc = models.ForeignKey(
        "agencies.ContinuumOfCare",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
        verbose_name="CoC",
    )

    HUD_FILE: str = ""
    HUD_COLUMNS: tuple[tuple[str, str], ...] = ()  # (HUD column, field name), FY2026 order

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.HUD_FILE} {getattr(self, self.hud_key())}"

    @classmethod
    def hud_key(cls) -> str:
        """The field holding the record's own HUD id (the file's first column)."""
        return cls.HUD_COLUMNS[0][1]
