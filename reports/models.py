"""Report drafts (PIT, HIC, APR, DQ), their immutable versions, build runs and agency sign-offs.

A ``Report`` is what the CoC asked for (kind, CoC, scope of projects, a period or a night) and
where it stands in the seed's workflow. Each build makes a ``ReportVersion``: the HUD tables as
JSON plus a snapshot of the enrollments behind them (``ReportFact``), so that every cell of a
version drills down to the same rows for ever, whatever is imported later. Once a version is
locked it never changes: ``save``/``delete``/``update`` refuse, and a database trigger (see the
migration ``0002_locked_versions_trigger``) refuses any UPDATE or DELETE that gets past the ORM.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from roles.querysets import RestrictedQuerySet, Restriction


class LockedVersionError(ValidationError):
    """Raised on any attempt to change or delete a locked or submitted version."""


def last_wednesday_of_january(year: int) -> datetime.date:
    """The default PIT/HIC night (REFERENCE §5.1: a local choice inside January's last 10 days)."""
    day = datetime.date(year, 1, 31)
    return day - datetime.timedelta(days=(day.weekday() - 2) % 7)


class Report(models.Model):
    """One report the CoC prepares for HUD, and its place in the review workflow."""

    class Kind(models.TextChoices):
        PIT = "pit", _("Point-in-Time count (sheltered)")
        HIC = "hic", _("Housing Inventory Count")
        APR = "apr", _("CoC Annual Performance Report")
        DQ = "dq", _("Data Quality report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Building")
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        LOCKED = "locked", _("Locked")
        SUBMITTED = "submitted", _("Submitted")

    NIGHT_KINDS = (Kind.PIT, Kind.HIC)

    coc = models.ForeignKey(
        "agencies.ContinuumOfCare",
        verbose_name=_("CoC"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    projects = models.ManyToManyField(
        "agencies.Project",
        verbose_name=_("projects"),
        related_name="reports",
        help_text=_("The scope: the projects whose HMIS records the report counts."),
    )
    start = models.DateField(_("report start"), null=True, blank=True)
    end = models.DateField(_("report end"), null=True, blank=True)
    night = models.DateField(
        _("night"),
        null=True,
        blank=True,
        help_text=_("PIT and HIC: the night counted (default: the last Wednesday of January)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    unsheltered = models.JSONField(
        _("unsheltered totals"),
        default=dict,
        blank=True,
        help_text=_("PIT: persons and households counted by the street count, entered by hand."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    # An agency sees a report when one of its projects is in the scope; the CoC builds and
    # locks (build_reports); agencies verify/sign off (verify_reports) their own projects.
    restriction = Restriction(
        coc=("coc",),
        agency=("projects__agency",),
        to_many=("projects__agency",),
        perms={
            "view": ("view_reports", "view_reports"),
            "add": ("build_reports", None),
            "change": ("build_reports", None),
            "delete": (None, None),
            "build": ("build_reports", None),
            "verify": (None, "verify_reports"),
        },
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.kind in self.NIGHT_KINDS:
            return f"night of {self.night}"
        return f"{self.start} – {self.end}"

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.LOCKED, self.Status.SUBMITTED)

    def current_version(self) -> ReportVersion | None:
        return self.versions.order_by("-number").first()

    def clean(self) -> None:
        if self.kind in self.NIGHT_KINDS:
            if not self.night:
                raise ValidationError({"night": _("Give the night to count (YYYY-MM-DD).")})
        else:
            if not (self.start and self.end):
                raise ValidationError(_("Give the report start and end dates."))
            if self.start > self.end:
                raise ValidationError({"end": _("The end must be on or after the start.")})


class ReportVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(locked_at__isnull=False).exists():
            raise LockedVersionError("A locked or submitted report version never changes.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(locked_at__isnull=False).exists():
            raise LockedVersionError("A locked or submitted report version is never deleted.")
        return super().delete()


class ReportVersion(models.Model):
    """One build of a report: HUD's tables and what changed against the previous version."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    tables = models.JSONField(_("tables"), default=dict)
    api_summary = models.JSONField(
        _("summary"), default=dict, help_text=_("The PIT totals / HIC projects of the API.")
    )
    diff = models.JSONField(
        _("changes against the previous version"),
        default=list,
        help_text=_('[{"table": "Q5a", "cell": "B2", "before": 9, "after": 10}, ...]'),
    )
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    built_at = models.DateTimeField(_("built"), auto_now_add=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report version")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self._locked_in_db():
            raise LockedVersionError("A locked or submitted report version never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._locked_in_db():
            raise LockedVersionError("A locked or submitted report version is never deleted.")
        return super().delete(*args, **kwargs)

    def _locked_in_db(self) -> bool:
        return (
            self.pk is not None
            and ReportVersion.objects.filter(pk=self.pk, locked_at__isnull=False).exists()
        )

    def ordered_tables(self) -> list[tuple[str, dict]]:
        """The tables in the order they were built (HUD's: Q4a, Q5a, ... Q27m for the APR).

        ``tables`` is a JSON object, and PostgreSQL's jsonb keeps no key order (it sorts keys by
        length, then bytes: Q11 came before Q4a, Q13a1 after Q27j), so the build
        writes each table's ``position``; versions built before that keep their stored order.
        """
        items = list(self.tables.items())
        return sorted(items, key=lambda item: item[1].get("position", len(items)))


class ReportFact(models.Model):
    """One enrollment in a version's universe, as it was at build time (the drill-down rows).

    Filled set-based by ``INSERT ... SELECT`` (``reports.engine.snapshot``); cells are counts
    of distinct clients over these rows, so a drill-down lists exactly the rows a cell counted.
    Links to HMIS records carry no database constraint: a later import may delete a record,
    the version keeps its numbers.

    Indexed only by the two ``(version, universe, ...)`` indexes every reader uses (cells,
    drill-downs, household steps, deleting a version): the build fills the derived columns
    with whole-table UPDATEs, and each index on a link (``enrollment_id``, ``income_start_id``
    ...) that nothing looks rows up by cost an index entry per row and UPDATE (13 indexes:
    most of the APR universe's time at 200,000 clients, docs/performance.md, Reports).
    """

    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="facts", db_index=False
    )
    universe = models.CharField(max_length=10)  # "pit", "apr", ...
    enrollment = models.ForeignKey(
        "hmis.Enrollment",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )
    client = models.ForeignKey(
        "hmis.Client",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )
    project = models.ForeignKey(
        "hmis.Project",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    source_id = models.IntegerField()
    household_id = models.CharField(max_length=32)
    personal_id = models.CharField(max_length=32)
    hud_enrollment_id = models.CharField(max_length=32)
    project_type = models.IntegerField(null=True)
    relationship_to_hoh = models.IntegerField(null=True)
    entry_date = models.DateField()
    exit_date = models.DateField(null=True)
    move_in_date = models.DateField(null=True)
    age = models.IntegerField(null=True)
    # The client's values the tables test (``reports.engine.CLIENT_COLUMNS``), as at build time.
    dob_data_quality = models.SmallIntegerField(null=True)
    sex = models.SmallIntegerField(null=True)
    am_ind_ak_native = models.SmallIntegerField(null=True)
    asian = models.SmallIntegerField(null=True)
    black_af_american = models.SmallIntegerField(null=True)
    hispanic_latinao = models.SmallIntegerField(null=True)
    mid_east_n_african = models.SmallIntegerField(null=True)
    native_hi_pacific = models.SmallIntegerField(null=True)
    white = models.SmallIntegerField(null=True)
    race_none = models.SmallIntegerField(null=True)
    veteran_status = models.SmallIntegerField(null=True)
    # The enrollment's and its exit's values the tables test (``ENROLLMENT_COLUMNS``,
    # ``EXIT_COLUMNS``), as at build time (the exit's even when it was deleted since: a row is
    # a leaver by ``exit_date``, the live exit's date).
    disabling_condition = models.SmallIntegerField(null=True)
    living_situation = models.SmallIntegerField(null=True)
    los_under_threshold = models.SmallIntegerField(null=True)
    previous_street_essh = models.SmallIntegerField(null=True)
    date_to_street_essh = models.DateField(null=True)
    times_homeless_past_three_years = models.SmallIntegerField(null=True)
    months_homeless_past_three_years = models.SmallIntegerField(null=True)
    date_of_engagement = models.DateField(null=True)
    destination = models.SmallIntegerField(null=True)
    destination_subsidy_type = models.SmallIntegerField(null=True)
    # 1 without children, 2 with children and adults, 3 with only children, 4 unknown (glossary)
    household_type = models.IntegerField(null=True)
    # APR: the client's latest stay in range; PIT: the one enrollment counted for the client
    counted = models.BooleanField(default=False)

    # Derived once per version by set-based UPDATEs (``reports.apr.derived``), so a table's
    # cells test plain columns instead of each re-running a sub-select over the HMIS tables.
    # The IncomeBenefits records HUD's questions read (Glossary "Data collection stage"):
    # at project start (stage 1), the relevant annual assessment (stage 5), at exit (stage 3).
    income_start = models.ForeignKey(
        "hmis.IncomeBenefits",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    income_annual = models.ForeignKey(
        "hmis.IncomeBenefits",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    income_exit = models.ForeignKey(
        "hmis.IncomeBenefits",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    # Chronic homelessness at start (Glossary flowchart, as APR Q26b's rows): 1 chronically
    # homeless, 0 not, 8 client doesn't know / prefers not to answer, 99 data not collected.
    chronic_status = models.SmallIntegerField(null=True)
    # Youth household: every member of known age is 0-24 and at least one age is known (APR
    # "Determining Each Client's Household Type"); parenting youth: a youth head with a child.
    youth_household = models.BooleanField(null=True)
    parenting_youth = models.BooleanField(null=True)
    # Length of participation in days (Glossary "Length of Stay", by project type: bed nights
    # for ES night-by-night), as APR Q22a1 counts it.
    los_days = models.IntegerField(null=True)
    # The revision of the derived columns this row holds (``reports.apr.derived.REVISION``);
    # empty on rows built before it existed and on the PIT/HIC rows (no derived columns).
    derived = models.SmallIntegerField(null=True)
    # -- derived for reports/apr/lengths.py (migration 0005) --
    # The household has two or more heads (RelationshipToHoH 1) in the universe: the length
    # tables test its rows by the per-head sub-selects (any head counts), the rest by columns.
    several_heads = models.BooleanField(null=True)
    # For those rows only: the range cells of APR Q22c/Q22e/Q22g the row is in (bits, see
    # reports.apr.lengths.MOVE_IN_BITS), computed by the per-head sub-selects.
    heads_ranges = models.IntegerField(null=True)
    # The person's valid housing move-in date (Glossary "Handling Housing Move-In Dates"); the
    # same counting only a head's move-in on or after the report start (APR Q22c/Q22f/Q27k).
    housing_date = models.DateField(null=True)
    housing_date_since_start = models.DateField(null=True)
    # 3.917.3 as APR Q22e instruction 2 reads it: children take their head's answer.
    homeless_start = models.DateField(null=True)
    # -- end lengths --
    # -- derived for reports/apr/people.py and demographics.py (migration 0006) --
    # Filled for the counted rows only (the rows the APR tables count); NULL on the others.
    # APR Q9a/Q9b cell of an ES night-by-night / street outreach stay (spec Q9a, 4.12, 4.13):
    # 10 x row (2-5, number of contacts) + column (3-5, first contact's situation), 0 when not
    # in Q9a's universe; NULL for other project types (``people.contact_code``).
    contact_code = models.SmallIntegerField(null=True)
    # Conditions 4.05-4.10 said yes to (APR Q13, Q26e), bit i = ``demographics.CONDITIONS[i]``,
    # 0 without records: the stage-1 records (Q13a1), the stage-3 records (Q13b1), the records
    # of the latest date on or before the report end (Q13c1).
    conditions_start = models.SmallIntegerField(null=True)
    conditions_exit = models.SmallIntegerField(null=True)
    conditions_latest = models.SmallIntegerField(null=True)
    # Number of conditions (Q13a2/b2/c2 instruction 4: 4.10 = 3 counts twice) of the stage-1
    # records, the stage-3 records, and the latest date's records of stages 1, 2 and 5 (Q13c2).
    conditions_start_count = models.SmallIntegerField(null=True)
    conditions_exit_count = models.SmallIntegerField(null=True)
    conditions_stayer_count = models.SmallIntegerField(null=True)
    # The latest 4.11 record with a DV answer on or before the report end (APR Q14a/Q14b):
    # its DomesticViolenceSurvivor and WhenOccurred; NULL without such a record.
    dv_survivor = models.SmallIntegerField(null=True)
    dv_when_occurred = models.SmallIntegerField(null=True)
    # The stay is required to have an annual assessment (Glossary "Annual Assessment", the
    # rule ``income.latest_annual_assessment``; APR Q16/Q17 column C).
    income_annual_due = models.BooleanField(null=True)
    # Q16 row (2-11) of the income_start/annual/exit record (4.02 IncomeFromAnySource,
    # TotalMonthlyIncome); NULL without a record, 0 for a record in no row.
    income_range_start = models.SmallIntegerField(null=True)
    income_range_annual = models.SmallIntegerField(null=True)
    income_range_exit = models.SmallIntegerField(null=True)
    # Q17 sources of the same records: bit i = ``demographics.SOURCES[i]`` is 1 (4.02.3-17),
    # bit 15 = IncomeFromAnySource 0 or 1 (Q17 row 17); NULL without a record.
    income_sources_start = models.IntegerField(null=True)
    income_sources_annual = models.IntegerField(null=True)
    income_sources_exit = models.IntegerField(null=True)
    # -- end people --
    # -- derived for reports/apr/dq.py (migration 0007) --
    # -- end dq --

    class Meta:
        verbose_name = _("report row")
        indexes = [
            models.Index(fields=["version", "universe", "household_id"]),
            models.Index(fields=["version", "universe", "client"]),
        ]

    def __str__(self) -> str:
        return f"{self.universe} row {self.personal_id}"


class ReportRun(models.Model):
    """A build of a report as a background run: status, progress, log, error."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    log = models.TextField(blank=True)
    error = models.TextField(blank=True)
    version = models.ForeignKey(
        ReportVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report build")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Build {self.pk} of report {self.report_id}: {self.status}"


class Verification(models.Model):
    """An agency's answer on a version: verified (PIT/HIC), signed off (APR/DQ), or a question."""

    class Decision(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        SIGNED_OFF = "signed_off", _("Signed off")
        QUESTION = "question", _("Sent back with a question")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="verifications")
    version = models.ForeignKey(
        ReportVersion, on_delete=models.PROTECT, related_name="verifications"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verification")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.decision}"


class ReportEvent(models.Model):
    """The report's log: built, verified, questioned, locked, submitted, reminded."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    detail = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.action} on report {self.report_id}"
