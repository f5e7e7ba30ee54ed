"""The cheaper django-tables2 cells (hmis_gov.tables) render exactly what the library renders."""

from __future__ import annotations

import datetime as dt
import re

import django_tables2 as library_tables
import pytest
from django.template import Context
from django.utils import timezone
from django_tables2 import utils

from dataquality.models import Flag, Scan
from dataquality.scans import run_scan
from dataquality.tables import FlagTable
from dataquality.testing import HmisBuilder
from hmis.models import Client, Enrollment, Exit
from hmis.tables import ClientTable, EnrollmentTable
from hmis_gov import tables as fast


class Record:
    def __init__(self, day, moment):
        self.day, self.moment = day, moment


class LibraryTable(library_tables.Table):
    day = library_tables.DateColumn()
    moment = library_tables.DateTimeColumn()
    long_day = library_tables.DateColumn(accessor="day", short=False)


class FastTable(library_tables.Table):
    day = fast.DateColumn()
    moment = fast.DateTimeColumn()
    long_day = fast.DateColumn(accessor="day", short=False)


def cells(table_class, records) -> list[list[str]]:
    table = table_class(records)
    table.context = Context()
    return [[str(value) for _, value in row.items()] for row in table.rows]


@pytest.mark.parametrize("zone", ["UTC", "America/Chicago"])
def test_date_cells_match_the_library(settings, zone):
    settings.TIME_ZONE = zone
    records = [
        Record(dt.date(2025, 3, 9), timezone.make_aware(dt.datetime(2025, 3, 9, 23, 30), dt.UTC)),
        Record(None, None),
    ]
    with timezone.override(zone):
        expected = cells(LibraryTable, records)
        assert cells(FastTable, records) == expected
    assert expected[1] == ["—", "—", "—"]  # empty values show the column default


def test_model_date_fields_get_the_fast_columns():
    assert type(FlagTable.base_columns["first_found"]) is fast.DateTimeColumn
    assert type(ClientTable.base_columns["date_updated"]) is fast.DateTimeColumn


class Callable:
    def __call__(self, record, value, **kwargs):
        return value


def test_the_memoised_signature_answers_as_inspect_does():
    assert utils.signature is fast._signature  # installed at start-up (roles.apps)

    def plain(record, table=None):
        return record

    table = FlagTable([])
    column = table.columns["rule"].column
    for fn in (plain, lambda value: value, Callable(), column.render, type(column).render):
        assert fast._signature(fn) == fast._original_signature(fn)
        assert fast._signature(fn) == fast._original_signature(fn)  # from the memo
    # A bound method and its function are not the same signature (self).
    assert fast._signature(column.render) != fast._signature(type(column).render)


def rendered(table, template: str, request) -> str:
    from django.template import Template

    table.template_name = template
    html = Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.django_db
def test_the_python_table_body_renders_what_the_library_template_renders(demo, rf):
    as_of = dt.date(2025, 9, 30)
    builder = HmisBuilder(demo.xx500, demo.agency_a, as_of=as_of)
    for _ in range(3):
        builder.enrollment(disabling_condition=99)
    run_scan(Scan.objects.create(coc=demo.xx500, as_of=as_of).pk)
    request = rf.get("/data-quality/?sort=rule")
    flags = Flag.objects.select_related("agency", "hmis_project", "assignee").order_by("pk")
    assert flags.exists()
    enrollments = Enrollment.objects.select_related("project", "exit").order_by("pk")
    Exit.objects.filter(enrollment=enrollments[0]).delete()  # no exit: the default shown
    for make in (
        lambda: FlagTable(flags),
        lambda: ClientTable(Client.objects.order_by("pk")),
        lambda: with_pii(ClientTable(Client.objects.order_by("pk"))),  # render_name & co.
        lambda: EnrollmentTable(enrollments),
        lambda: OddTable(enrollments),
        lambda: FlagStatusTable(flags),
        lambda: FlagTable(Flag.objects.none()),  # the empty text
    ):
        ours = rendered(make(), "generic/table.html", request)
        library = rendered(make(), "django_tables2/bootstrap5-responsive.html", request)
        assert "<tbody" in ours and ours == library


def with_pii(table):
    table.pii_ids = set(Client.objects.values_list("pk", flat=True))
    return table


class FlagStatusTable(library_tables.Table):
    status = library_tables.Column()


class OddTable(library_tables.Table):
    """Columns the plain-cell path must leave to the library, or read exactly as it does."""

    project_type = library_tables.Column(accessor="project__project_type")
    none_shown = library_tables.Column(accessor="exit__destination", empty_values=())
    method = library_tables.Column(accessor="get_absolute_url")  # a callable: the library's
    missing = library_tables.Column(accessor="project__no_such_attribute")
    relationship = library_tables.Column(accessor="relationship_to_hoh")
    household = library_tables.Column(accessor="household_id", default="(none)")


@pytest.mark.django_db
def test_plain_cells_are_read_directly_and_the_rest_left_to_the_library(demo):
    builder = HmisBuilder(demo.xx500, demo.agency_a, as_of=dt.date(2025, 9, 30))
    builder.enrollment()
    table = OddTable(Enrollment.objects.select_related("project", "exit"))
    row = table.rows[0]
    record = row.record
    read = {column.name: fast.plain_cell(table, column) for column in table.columns}
    assert read["method"](row) is fast.SLOW  # a callable: the library calls it
    assert read["missing"](row) == row.get_cell("missing") == "—"  # the library's None
    assert read["none_shown"](row) == row.get_cell("none_shown")
    assert read["project_type"](row) == record.project.project_type
    assert read["relationship"](row) == record.relationship_to_hoh
    flags = FlagStatusTable(Flag.objects.all())
    status = fast.plain_cell(flags, flags.columns["status"])
    flag = Flag(status="in_review")
    assert status(_row(flags, flag)) == flag.get_status_display()
    assert flag.get_status_display() != flag.status  # the choice's label, not its code
    linked = FlagTable(Flag.objects.all())
    assert fast.plain_cell(linked, linked.columns["rule"]) is not None  # linkify=True
    assert fast.plain_cell(linked, linked.columns["select"]) is None  # a CheckBoxColumn
    clients = ClientTable([])
    assert fast.plain_cell(clients, clients.columns["name"]) is not None  # render_name


def _row(table, record):
    from django_tables2.rows import BoundRow

    return BoundRow(record, table=table)


@pytest.mark.django_db
def test_imported_records_render_as_the_library_renders_them(loaded, rf):
    from hmis.models import ImportRun, Source
    from hmis.tables import ImportRunTable, SourceTable

    request = rf.get("/records/")
    assert ImportRun.objects.exists()
    for make in (
        lambda: ImportRunTable(ImportRun.objects.select_related("source").order_by("pk")),
        lambda: SourceTable(Source.objects.select_related("coc").order_by("pk")),
        lambda: EnrollmentTable(Enrollment.objects.select_related("project", "exit")),
    ):
        ours = rendered(make(), "generic/table.html", request)
        library = rendered(make(), "django_tables2/bootstrap5-responsive.html", request)
        assert "<tbody" in ours and ours == library
    # A link to the value's own page (the source), not the record's.
    run = ImportRun.objects.select_related("source").first()
    assert run.source.get_absolute_url() in rendered(
        ImportRunTable([run]), "generic/table.html", request
    )
