"""Data quality: the CoC's rule settings and plan, scans, the flags they raise, and results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction

# Who sees flags: the CoC's data-quality reviewers CoC-wide; agency people with "view_flags"
# (program staff, the executive, the DQ manager) on their agency's records. The issue says staff
# see flags "of their projects"; the CoC setup has no per-project staff assignment, so the honest
# scope is the agency's records.
FLAG_VIEW = ("review_data_quality", "view_flags")
FLAG_ACT = ("review_data_quality", "review_data_quality")


class RuleSetting(models.Model):
    """One rule switched on or off, with its threshold, for one CoC (rules live in code)."""

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.CASCADE, related_name="dq_rule_settings"
    )
    code = models.CharField(_("rule"), max_length=40)
    enabled = models.BooleanField(_("enabled"), default=True)
    threshold = models.PositiveIntegerField(_("threshold"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",),
        perms={
            "view": FLAG_VIEW,
            "add": (None, None),
            "change": ("run_scans", None),
            "delete": (None, None),
        },
        agency_grants_parent_coc=True,
    )

    class Meta:
        verbose_name = _("data-quality rule")
        ordering = ["coc_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["coc", "code"], name="dq_rule_setting_unique")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def rule(self):
        from .rules import RULES

        return RULES.get(self.code)


class DataQualityPlan(models.Model):
    """The CoC's Data Quality Plan benchmarks, and when its nightly scan runs."""

    coc = models.OneToOneField(
        "agencies.ContinuumOfCare", on_delete=models.CASCADE, related_name="dq_plan"
    )
    max_pii_pct = models.DecimalField(
        _("max % PII errors"), max_digits=5, decimal_places=2, default=5
    )
    max_ude_pct = models.DecimalField(
        _("max % universal data element errors"), max_digits=5, decimal_places=2, default=5
    )
    max_income_housing_pct = models.DecimalField(
        _("max % income and housing errors"), max_digits=5, decimal_places=2, default=5
    )
    max_chronic_pct = models.DecimalField(
        _("max % chronic homelessness errors"), max_digits=5, decimal_places=2, default=10
    )
    max_inactive_pct = models.DecimalField(
        _("max % inactive records"), max_digits=5, decimal_places=2, default=5
    )
    max_integrity_pct = models.DecimalField(
        _("max % integrity errors"), max_digits=5, decimal_places=2, default=2
    )
    min_timely_pct = models.DecimalField(
        _("min % entered on time"), max_digits=5, decimal_places=2, default=95
    )
    timely_days = models.PositiveSmallIntegerField(
        _("on time = entered within (days)"),
        default=3,
        choices=[(0, "0"), (3, "3"), (6, "6"), (10, "10")],
        help_text=_("HUD's timeliness buckets end at 0, 3, 6 and 10 days."),
    )
    overdue_days = models.PositiveSmallIntegerField(_("a flag is overdue after (days)"), default=30)
    scan_enabled = models.BooleanField(_("nightly scan"), default=True)
    scan_time = models.TimeField(_("nightly scan at"), default="02:00")
    updated = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",),
        perms={
            "view": ("view_continuumofcare", "view_agency"),
            "add": ("run_scans", None),
            "change": ("run_scans", None),
            "delete": (None, None),
        },
        agency_grants_parent_coc=True,
    )

    class Meta:
        verbose_name = _("data quality plan")

    def __str__(self) -> str:
        return f"Data Quality Plan of {self.coc}"

    def benchmark(self, category: str) -> tuple[str, float] | None:
        """("max"|"min", percent) for a category, or None when the plan sets none."""
        if category == "timeliness":
            return ("min", float(self.min_timely_pct))
        value = getattr(self, f"max_{category}_pct", None)
        return None if value is None else ("max", float(value))


class Scan(models.Model):
    """One run of the rules over a CoC or one agency: status, progress, counts, log."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare", on_delete=models.CASCADE, related_name="dq_scans"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    as_of = models.DateField(_("as of"))
    progress = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    log = models.TextField(blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    trigger = models.CharField(max_length=10, default="manual")  # manual | nightly | demo
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",),
        agency=("agency",),
        perms={
            "view": FLAG_VIEW,
            "add": ("run_scans", "review_data_quality"),
            "change": (None, None),
            "delete": (None, None),
        },
    )

    class Meta:
        verbose_name = _("scan")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"Scan {self.pk} of {self.agency or self.coc}"

    def get_absolute_url(self) -> str:
        return reverse("dataquality:scan", args=[self.pk])


class Finding(models.Model):
    """What one scan found, one row per (rule, record): the staging table merged into flags.

    Plain integer columns (no foreign keys) so that ``INSERT … SELECT`` stays cheap; rows are
    deleted when the scan's transaction has merged them.
    """

    scan_id = models.BigIntegerField(db_index=True)
    rule = models.CharField(max_length=40)
    severity = models.PositiveSmallIntegerField()
    source_id = models.BigIntegerField()
    record_type = models.CharField(max_length=20)
    hud_id = models.CharField(max_length=32)
    personal_id = models.CharField(max_length=32)
    record_pk = models.BigIntegerField()
    client_id = models.BigIntegerField(null=True)
    enrollment_id = models.BigIntegerField(null=True)
    agency_id = models.BigIntegerField(null=True)
    hmis_project_id = models.BigIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["rule", "source_id", "record_type", "hud_id"])]

    def __str__(self) -> str:
        return f"{self.rule} on {self.record_type} {self.hud_id} (scan {self.scan_id})"


class Flag(models.Model):
    """One (rule, record) defect, stable across scans: keyed by rule, source, file and HUD id."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_REVIEW = "in_review", _("In review")
        RESOLVED = "resolved", _("Resolved")
        ACCEPTED = "accepted", _("Accepted as is")
        FIXED = "fixed", _("Fixed")

    rule = models.CharField(_("rule"), max_length=40, db_index=True)
    severity = models.PositiveSmallIntegerField(_("severity"), default=2)
    coc = models.ForeignKey("agencies.ContinuumOfCare", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hmis_project = models.ForeignKey(
        "hmis.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.ForeignKey("hmis.Source", on_delete=models.CASCADE, related_name="+")
    record_type = models.CharField(_("record type"), max_length=20)
    hud_id = models.CharField(_("HUD id"), max_length=32)
    personal_id = models.CharField(_("PersonalID"), max_length=32)
    record_pk = models.BigIntegerField()
    client = models.ForeignKey(
        "hmis.Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enrollment = models.ForeignKey(
        "hmis.Enrollment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dq_flags",
    )
    first_scan_id = models.BigIntegerField()
    last_scan_id = models.BigIntegerField()
    first_found = models.DateTimeField(_("first found"), db_index=True)
    last_found = models.DateTimeField(_("last found"))
    status_changed = models.DateTimeField(_("status changed"))

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("coc",),
        agency=("agency",),
        perms={"view": FLAG_VIEW, "add": (None, None), "change": FLAG_ACT, "delete": (None, None)},
    )

    class Meta:
        verbose_name = _("flag")
        ordering = ["-severity", "first_found", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "source", "record_type", "hud_id"], name="dq_flag_one_per_record"
            )
        ]
        indexes = [
            models.Index(fields=["coc", "agency", "status"]),
            # The inbox's order (``ordering``): a page of a CoC's 100,000+ flags is read in
            # index order instead of sorting all of them (load test, docs/performance.md).
            models.Index(fields=["-severity", "first_found", "id"], name="dq_flag_inbox_order"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} on {self.record_type} {self.hud_id}"

    def get_absolute_url(self) -> str:
        return reverse("dataquality:flag", args=[self.pk])

    @property
    def rule_info(self):
        from .rules import RULES

        return RULES.get(self.rule)

    @property
    def severity_label(self) -> str:
        return {3: "high", 2: "medium", 1: "low"}.get(self.severity, "")


class FlagEvent(models.Model):
    """A flag's history: found, status changes (by people or scans), comments, assignments."""

    class Kind(models.TextChoices):
        FOUND = "found", _("Found")
        STATUS = "status", _("Status changed")
        FIXED = "fixed", _("Fixed (not found again)")
        REOPENED = "reopened", _("Found again")
        COMMENT = "comment", _("Comment")
        ASSIGNED = "assigned", _("Assigned")

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    text = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scan_id = models.BigIntegerField(null=True, blank=True)
    created = models.DateTimeField(db_index=True)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("flag__coc",),
        agency=("flag__agency",),
        perms={"view": FLAG_VIEW, "add": FLAG_ACT, "change": (None, None), "delete": (None, None)},
    )

    class Meta:
        verbose_name = _("flag event")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on flag {self.flag_id}"


class ScanResult(models.Model):
    """Per scan, rule, agency and project: records checked and records flagged (scorecards).

    Timeliness buckets are stored the same way under the pseudo-rules ``ENTRY_ON_TIME`` and
    ``EXIT_ON_TIME``: ``records`` entries, ``flagged`` those NOT entered within the plan's days.
    """

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="results")
    rule = models.CharField(max_length=40)
    category = models.CharField(max_length=20)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    hmis_project = models.ForeignKey(
        "hmis.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    records = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()
    restriction = Restriction(
        coc=("scan__coc",),
        agency=("agency",),
        perms={
            "view": FLAG_VIEW,
            "add": (None, None),
            "change": (None, None),
            "delete": (None, None),
        },
    )

    class Meta:
        verbose_name = _("scorecard row")
        ordering = ["scan_id", "rule", "pk"]
        indexes = [models.Index(fields=["scan", "agency"])]

    def __str__(self) -> str:
        return f"{self.rule}: {self.flagged}/{self.records}"
