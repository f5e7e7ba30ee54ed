"""The FY2026 HMIS CSV files and their columns, in HUD's order.

Vendored from ``shared/hud/csv-columns.csv`` (version 2026 rows only) into ``columns_2026.csv`` so
the generator works where ``../shared`` is absent (production, CI images). Header spellings are the
ones in that file (e.g. ``Zip``, ``WorkPlaceViolenceThreats``, ``HOHLeaseholder``); importers match
headers case-insensitively, so HUD's spec-sheet spellings are equivalent.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

CSV_VERSION = "2026 v1.0"
COLUMNS_FILE = Path(__file__).with_name("columns_2026.csv")


@cache
def columns() -> dict[str, tuple[str, ...]]:
    """File name (no ``.csv``) → its columns in order; files in the order of the source list."""
    rows: dict[str, list[tuple[int, str]]] = {}
    with COLUMNS_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.setdefault(row["file"], []).append((int(row["position"]), row["column"]))
    return {name: tuple(col for _, col in sorted(cols)) for name, cols in rows.items()}


def files() -> list[str]:
    return list(columns())
