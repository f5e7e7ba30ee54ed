"""Safe spreadsheet exports: no cell may run as a formula when a CSV or XLSX is opened.

OWASP "CSV injection": a cell starting with = + - @ (or a tab / carriage return) is read as a
formula by Excel and LibreOffice. Such text is prefixed with a single quote; numbers stay numbers.
Every CSV/XLSX export of the app (lists, reports, data-quality inboxes) passes its cells here.
"""

from __future__ import annotations

from typing import Any

from django_tables2.export import TableExport
from tablib import Dataset

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as it may go into a spreadsheet cell."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row) -> list:
    return [safe_cell(value) for value in row]


class SafeTableExport(TableExport):
    """django-tables2's export with every cell passed through :func:`safe_cell`."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None) -> Dataset:
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = Dataset(title=dataset.title, headers=dataset.headers)
        for row in dataset:
            safe.append(safe_row(row))
        return safe
