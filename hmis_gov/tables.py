"""django-tables2, made cheaper per cell: every list page renders 50 rows of 7-11 columns.

Measured on the flag inbox at 200,000 clients (cProfile, 50 rows x 11 columns): the table was
58 % of the page, and two costs of django-tables2 3.0 stood out, both paid once per cell:

- ``utils.call_with_appropriate`` runs ``inspect.signature`` on the column's render function (or
  the record's ``get_absolute_url``) for every cell, though the answer only depends on the
  function: :func:`install` memoises it per function.
- ``DateColumn`` / ``DateTimeColumn`` are ``TemplateColumn``\\ s that compile their one-line
  template (``{{ value|date:"SHORT_DATE_FORMAT"|default:default }}``) again for every cell:
  :class:`DateColumn` and :class:`DateTimeColumn` below apply the same ``date`` filter directly,
  and are registered for date and date-time model fields ahead of the library's own.

Output is unchanged (``tests/test_tables_fast.py`` compares both with the library's).
"""

from __future__ import annotations

import django_tables2 as tables
from django.db import models
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.timezone import template_localtime
from django_tables2 import utils
from django_tables2.columns import library
from django_tables2.columns.base import LinkTransform

_original_signature = utils.signature
_signatures: dict = {}
_MAX_SIGNATURES = 5000  # callables are module- or class-level: a few hundred in the project


def _signature(fn):
    function = getattr(fn, "__func__", None)
    key = (function if function is not None else fn, function is not None)
    try:
        return _signatures[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable callable object
        return _original_signature(fn)
    if len(_signatures) >= _MAX_SIGNATURES:  # closures made per call would only grow it
        _signatures.clear()
    found = _signatures[key] = _original_signature(fn)
    return found


def install() -> None:
    """Memoise django-tables2's per-cell signature inspection (called once, by roles.apps)."""
    utils.signature = _signature


class _FormattedColumn:
    """The ``date`` filter of the library's template, without a template per cell."""

    def __init__(self, format=None, short=True, *args, **kwargs):
        super().__init__(format, short, *args, **kwargs)
        if format is None:
            format = self.short_format if short else self.long_format
        self.format = format

    def render(self, value, bound_column, **kwargs):
        text = date_filter(template_localtime(value), self.format)
        return text or bound_column.default


@library.register
class DateColumn(_FormattedColumn, tables.DateColumn):
    short_format, long_format = "SHORT_DATE_FORMAT", "DATE_FORMAT"


@library.register
class DateTimeColumn(_FormattedColumn, tables.DateTimeColumn):
    short_format, long_format = "SHORT_DATETIME_FORMAT", "DATETIME_FORMAT"


# --- Cells without the per-cell machinery ---------------------------------------------------
#
# ``BoundRow.get_cell`` pays, for every cell, an ``Accessor.penultimate`` plus a field lookup
# for ``get_FOO_display``, and an ``Accessor.resolve`` that tries ``record[bit]`` first (an
# exception per model attribute, and three for a name that is not an attribute, as a column
# computed by ``render_<name>`` is), then ``call_with_appropriate``. For a plain ``Column`` or
# this module's date columns, with or without a ``render_<name>`` on the table but without a
# link, :func:`plain_cell` decides once per column what the library would do and reads the
# attributes directly; a value it does not read the same way (a callable to call, a dict) goes
# back to the library (``SLOW``). The output is the same either way
# (``tests/test_tables_fast.py`` renders every list's table both ways).

SLOW = object()
_MISSING = object()


def plain_cell(table, bound_column):
    """``row -> cell`` for a column of the kinds above, or None: the library renders it."""
    column = bound_column.column
    formatted = type(column) in (DateColumn, DateTimeColumn)  # this module's: render(value)
    link = bound_column.link
    if not (formatted or type(column) is tables.Column):
        return None
    if link is not None and not _plain_link(link, bound_column):
        return None
    bits = list(utils.A(bound_column.accessor).bits)
    if not bits:
        return None
    table_render = getattr(table, f"render_{bound_column.name}", None)
    *path, last = bits
    empty_values = column.empty_values
    displays: dict[tuple[type, type], str | None] = {}  # -> get_FOO_display, if a choice field

    def display_name(record, owner) -> str | None:
        key = type(record), type(owner)
        if key not in displays:
            field = utils.A(bound_column.accessor).get_field(record)
            displays[key] = f"get_{last}_display" if getattr(field, "choices", ()) else None
        return displays[key]

    def value_of(record, display=True):
        # Accessor.resolve, for models: an attribute missing or failing on the way is None
        # (the library swallows the error), a None on the way stops the walk.
        owner = record
        try:
            for bit in path:
                if not isinstance(owner, models.Model):
                    return SLOW
                owner = getattr(owner, bit, _MISSING)
                if owner is None or owner is _MISSING:
                    return None
                if callable(owner):
                    return SLOW
            if not isinstance(owner, models.Model):
                return SLOW
            method = display_name(record, owner) if display else None
            if method is not None and hasattr(owner, method):
                return getattr(owner, method)()
            value = getattr(owner, last, None)
        except Exception:
            return None
        return SLOW if callable(value) else value

    def cell(row):
        value = value_of(row.record)
        if value is SLOW:
            return SLOW
        if value in empty_values:
            return bound_column.default
        if table_render is not None:
            kwargs = {
                "value": value,
                "record": row.record,
                "column": column,
                "bound_column": bound_column,
                "bound_row": row,
                "table": table,
            }
            content = utils.call_with_appropriate(table_render, kwargs)
        elif formatted:
            content = column.render(value=value, bound_column=bound_column)
        else:
            content = value
        if link is None:
            return content
        # LinkTransform(linkify=True): the value's own page if it has one, else the record's.
        target = value_of(row.record, display=False)
        if not hasattr(target, "get_absolute_url"):
            target = row.record
            if not hasattr(target, "get_absolute_url"):
                return SLOW  # the library raises its TypeError
        url = target.get_absolute_url()
        if url is None:
            return content
        return format_html('<a href="{}">{}</a>', url, content)

    return cell


def _plain_link(link, bound_column) -> bool:
    """Whether ``link`` is ``linkify=True`` with no ``a`` attributes, whose URL comes from the
    cell's own value (``compose_url`` resolves ``link.accessor`` or else the column's name)."""
    return (
        isinstance(link, LinkTransform)
        and link.url is None
        and not link.reverse_args
        and not link.attrs
        and (link.accessor or bound_column.name) == bound_column.accessor
    )
