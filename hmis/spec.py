"""The HMIS CSV structure per CSV version, read from ``hmis/data/csv-columns.csv``.

FY2026 ("2026 v1.x") is the current format and the shape of our models; FY2024 ("2024 v1.x")
exports are accepted and mapped: renamed columns follow ``RENAMED_2024``, columns FY2026 dropped
are read and discarded (the import report says so), columns FY2026 added are left blank.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

COLUMNS_FILE = Path(__file__).resolve().parent / "data" / "csv-columns.csv"

SUPPORTED_VERSIONS = ("2026", "2024")
CSV_VERSION = re.compile(r"^\s*(\d{4})\s*v\s*\d+(\.\d+)*\s*$", re.IGNORECASE)

# FY2024 column -> FY2026 column (REFERENCE.md §1.5).
RENAMED_2024 = {("Client", "HispanicLatinaeo"): "HispanicLatinao"}

# Spelling variants met in real exports (REFERENCE.md §1.6), after case-folding.
VARIANTS = {
    ("ProjectCoC", "zip"): "ZIP",
    ("Exit", "workplaceviolencethreats"): "WorkPlaceViolenceThreats",
    ("Disabilities", "tcellcount"): "TCellCount",
    ("Disabilities", "tcellsource"): "TCellSource",
    ("Disabilities", "tcellcountavailable"): "TCellCountAvailable",
    ("Enrollment", "hohleaseholder"): "HOHLeaseholder",
}

# The column file types these as strings; HUD's spec says I (lists 3.02.2, 3.03.2). HUD wins.
TYPE_FIXES = {"SSNDataQuality": "integer", "DOBDataQuality": "integer"}


@dataclass(frozen=True)
class Column:
    name: str  # HUD's spelling in this version
    type: str  # string | integer | date | datetime | money
    max_length: int | None
    required: bool
    position: int


@cache
def structure(version: str) -> dict[str, tuple[Column, ...]]:
    """HUD file name -> its columns in order, for ``version`` ("2026" or "2024")."""
    files: dict[str, list[Column]] = {}
    with COLUMNS_FILE.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["version"] != version:
                continue
            kind = TYPE_FIXES.get(row["column"], row["type"])
            if kind == "string" and re.search(r"(Amount|TotalMonthlyIncome)$", row["column"]):
                kind = "money"  # HUD type M; the column file says string(50)
            files.setdefault(row["file"], []).append(
                Column(
                    name=row["column"],
                    type=kind,
                    max_length=int(row["max_length"]) if row["max_length"] else None,
                    required=row["required"] == "yes",
                    position=int(row["position"]),
                )
            )
    return {name: tuple(sorted(cols, key=lambda c: c.position)) for name, cols in files.items()}


def version_of(text: str) -> str | None:
    """ "2026 v1.1" -> "2026"; None when the text is not a CSV version we know the form of."""
    match = CSV_VERSION.match(text or "")
    return match.group(1) if match else None


def to_current(version: str, file: str, column: str) -> str | None:
    """The FY2026 column an export column of ``version`` lands in, or None when dropped."""
    if version == "2026":
        return column
    column = RENAMED_2024.get((file, column), column)
    current = {c.name for c in structure("2026")[file]}
    return column if column in current else None
