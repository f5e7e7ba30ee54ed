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
from django.utils.timezone import template_localtime
from django_tables2 import utils
from django_tables2.columns import library

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


# --- Plain cells without the per-cell machinery --------------------------------------------
#
# ``BoundRow.get_cell`` pays, for every cell, an ``Accessor.penultimate`` plus a field lookup
# for ``get_FOO_display``, and an ``Accessor.resolve`` that tries ``record[bit]`` first (an
# exception per model attribute), then ``call_with_appropriate``. For a plain ``Column`` (no
# ``render_<name>``, no link) all of that yields the attribute's value or its choice label, so
# :func:`plain_cell` decides once per column and reads the attributes directly; anything it
# does not know how to read (a callable, a dict, a missing attribute) goes back to the library
# (``SLOW``), and the output is the same either way (``tests/test_tables_fast.py``).

SLOW = object()


def plain_cell(table, bound_column):
    """``record -> cell`` for a column the library would render as its bare value, or None."""
    column = bound_column.column
    if type(column) is not tables.Column or bound_column.link is not None:
        return None
    if getattr(table, f"render_{bound_column.name}", None) is not None:
        return None
    bits = list(utils.A(bound_column.accessor).bits)
    if not bits or None not in column.empty_values:  # None would be rendered, not defaulted
        return None
    *path, last = bits
    empty_values = column.empty_values
    displays: dict[type, str | None] = {}  # model class of the penultimate -> display method

    def display_name(record, owner) -> str | None:
        key = type(record), type(owner)
        if key not in displays:
            field = utils.A(bound_column.accessor).get_field(record)
            displays[key] = f"get_{last}_display" if getattr(field, "choices", ()) else None
        return displays[key]

    def cell(record):
        owner = record
        for bit in path:
            if not isinstance(owner, models.Model):
                return SLOW
            owner = getattr(owner, bit, SLOW)
            if owner is None:
                return bound_column.default
            if owner is SLOW or callable(owner):
                return SLOW
        if not isinstance(owner, models.Model):
            return SLOW
        method = display_name(record, owner)
        if method is not None and hasattr(owner, method):
            value = getattr(owner, method)()
        else:
            value = getattr(owner, last, SLOW)
            if value is SLOW or callable(value):
                return SLOW
        return bound_column.default if value in empty_values else value

    return cell
