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
from hmis.models import Client
from hmis.tables import ClientTable
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
    for make in (
        lambda: FlagTable(flags),
        lambda: ClientTable(Client.objects.order_by("pk")),
        lambda: FlagTable(Flag.objects.none()),  # the empty text
    ):
        ours = rendered(make(), "generic/table.html", request)
        library = rendered(make(), "django_tables2/bootstrap5-responsive.html", request)
        assert "<tbody" in ours and ours == library
