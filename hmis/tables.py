"""Tables of the hmis pages. Client tables show PII only for ids in ``table.pii_ids``."""

from __future__ import annotations

import django_tables2 as tables

from hmis.models import Client, ClientCandidate, Enrollment, ImportRun, PIIAccessLog, Source


class ImportRunTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name="Import")
    source = tables.Column(linkify=True)
    error_count = tables.Column(accessor="errors", verbose_name="Errors", orderable=False)
    warning_count = tables.Column(accessor="warnings", verbose_name="Warnings", orderable=False)

    class Meta:
        model = ImportRun
        fields = (
            "id",
            "created",
            "source",
            "original_name",
            "status",
            "csv_version",
            "created_by",
            "finished",
        )

    def render_error_count(self, value) -> int:
        return len(value)

    def render_warning_count(self, value) -> int:
        return len(value)


class SourceTable(tables.Table):
    name = tables.Column(linkify=True)
    coc = tables.Column(accessor="coc__code", verbose_name="CoC")

    class Meta:
        model = Source
        fields = ("name", "key", "coc", "agency", "software_name", "is_active")


class ClientTable(tables.Table):
    personal_id = tables.Column(linkify=True, verbose_name="PersonalID")
    source = tables.Column(accessor="source__name")
    name = tables.Column(empty_values=(), orderable=False, verbose_name="Name")
    ssn = tables.Column(empty_values=(), orderable=False, verbose_name="SSN")
    dob = tables.Column(verbose_name="DOB", orderable=False)

    class Meta:
        model = Client
        fields = ("personal_id", "source", "name", "ssn", "dob", "veteran_status", "date_updated")

    pii_ids: set[int] = set()

    def render_name(self, record) -> str:
        if record.pk not in self.pii_ids:
            return "—"
        return f"{record.first_name} {record.last_name}".strip() or "—"

    def render_ssn(self, record) -> str:
        return record.ssn_masked or "—" if record.pk in self.pii_ids else "—"

    def render_dob(self, record, value) -> str:
        return value.isoformat() if record.pk in self.pii_ids and value else "—"


class EnrollmentTable(tables.Table):
    enrollment_id = tables.Column(linkify=True, verbose_name="EnrollmentID")
    project = tables.Column(accessor="project__project_name")
    project_type = tables.Column(accessor="project__project_type", verbose_name="Type")
    exit_date = tables.Column(accessor="exit__exit_date", verbose_name="Exit")

    class Meta:
        model = Enrollment
        fields = (
            "enrollment_id",
            "personal_id",
            "project",
            "project_type",
            "entry_date",
            "exit_date",
            "household_id",
            "relationship_to_hoh",
            "source",
        )


class ClientCandidateTable(tables.Table):
    client = tables.Column(
        accessor="client__personal_id",
        linkify=lambda record: record.client.get_absolute_url(),
        verbose_name="Client",
    )
    other = tables.Column(
        accessor="other__personal_id",
        linkify=lambda record: record.other.get_absolute_url(),
        verbose_name="Same person?",
    )

    class Meta:
        model = ClientCandidate
        fields = ("client", "other", "rule", "status", "created", "reviewed_by")


class PIIAccessLogTable(tables.Table):
    class Meta:
        model = PIIAccessLog
        fields = ("at", "user", "personal_id", "source", "where", "fields")
