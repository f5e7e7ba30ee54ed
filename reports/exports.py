"""Exports of a version: CSV, XLSX, a printable page, and the APR's CSV zip for HUD's Sage.

Sage's file rules (APR/CAPER programming specifications FY2026, "Exporting Report Results to
CSV", rules 2–9): one CSV per question named after the table ("Q6b.csv", case-insensitive),
laid out as the table shell (row 1 the column headers, column A the row labels, every cell
position kept, grayed cells blank), text in double quotes, rates as decimals with at least
four places. Every text cell is guarded against formula injection (a leading = + - @ is
prefixed with an apostrophe) in CSV and XLSX alike.
"""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import Workbook

from hmis_gov.exports import safe_cell as safe  # the project's one formula-injection guard

from .models import ReportVersion


def _number(value):
    if isinstance(value, float):
        return f"{value:.4f}"
    return value


def table_grid(table: dict) -> list[list]:
    """The table shell as rows of cells: header row, then one row per numbered row."""
    letters = [c[0] for c in table["columns"]]
    has_a = "A" in letters
    header = ([] if has_a else [""]) + [c[1] for c in table["columns"]]
    grid = [header]
    for number, label in table["rows"]:
        line = [] if has_a else [label]
        for letter in letters:
            line.append(_number(table["cells"].get(f"{letter}{number}", "")))
        grid.append(line)
    return grid


def table_csv(table: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for line in table_grid(table):
        writer.writerow([safe("" if v is None else v) for v in line])
    return out.getvalue()


def version_csv(version: ReportVersion) -> str:
    """Every table of the version, one after the other, each headed by its key and title."""
    parts = []
    for key, table in version.ordered_tables():
        out = io.StringIO()
        writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        writer.writerow([safe(key), safe(table["title"])])
        parts.append(out.getvalue() + table_csv(table) + "\r\n")
    return "".join(parts)


def version_xlsx(version: ReportVersion) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, table in version.ordered_tables():
        sheet = workbook.create_sheet(title=key[:31])
        for line in table_grid(table):
            sheet.append([safe("" if v is None else v) for v in line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sage_zip(version: ReportVersion) -> bytes:
    """One ``<Question>.csv`` per APR table, zipped (Sage CSV rules 2 and 11)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, table in version.ordered_tables():
            archive.writestr(f"{key}.csv", table_csv(table))
    return out.getvalue()
