"""Problems found in an export: errors block the import, warnings are kept and shown."""

from __future__ import annotations

from collections import Counter

# Per file and kind, only the first problems are listed; the rest are counted in one line.
LIMIT_PER_FILE = 100

# Never quote these values back: they identify people.
PII_COLUMNS = {"ssn", "firstname", "middlename", "lastname", "namesuffix", "dob"}


def shown(column: str | None, value) -> str:
    if value is None:
        return ""
    text = str(value)
    if column and column.lower() in PII_COLUMNS and text:
        return "(hidden: identifying information)"
    return text if len(text) <= 200 else text[:200] + "…"


class Problems:
    """Collects errors and warnings as ``{file, line, column, value, message}`` dicts."""

    def __init__(self, limit: int = LIMIT_PER_FILE) -> None:
        self.errors: list[dict] = []
        self.warnings: list[dict] = []
        self.limit = limit
        self._seen: Counter = Counter()
        self._dropped: Counter = Counter()

    def error(self, file, line, column, value, message) -> None:
        self._add(self.errors, "error", file, line, column, value, message)

    def warning(self, file, line, column, value, message) -> None:
        self._add(self.warnings, "warning", file, line, column, value, message)

    def _add(self, target, kind, file, line, column, value, message) -> None:
        key = (kind, file)
        self._seen[key] += 1
        if self._seen[key] > self.limit:
            self._dropped[key] += 1
            return
        target.append(
            {
                "file": file or "",
                "line": line,
                "column": column or "",
                "value": shown(column, value),
                "message": message,
            }
        )

    def finish(self) -> None:
        """Say how many problems were not listed, per file."""
        for (kind, file), count in sorted(self._dropped.items()):
            target = self.errors if kind == "error" else self.warnings
            target.append(
                {
                    "file": file or "",
                    "line": None,
                    "column": "",
                    "value": "",
                    "message": f"… and {count} more {kind}s in this file, not listed.",
                }
            )
        self._dropped.clear()

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)
