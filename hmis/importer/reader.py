"""Streaming one CSV file of the export: header, types, dates, codes, required values.

Rows are read one at a time from the zip (never a whole file in memory), checked, converted to
the text the database loads, and handed to a staging sink. Non-ISO dates are decided per column
once the file is read (see ``DateColumn``): a format that reads every value, and only one,
is accepted with a warning; otherwise the values are errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from hmis.codes import CODE_LISTS, STRUCTURAL_CODES
from hmis.spec import VARIANTS, Column, structure, to_current

from .problems import Problems

csv.field_size_limit(1024 * 1024)

# Columns whose value identifies a record or links it to another: blank is always an error.
KEY_COLUMNS = {
    "ExportID",
    "OrganizationID",
    "ProjectID",
    "ResProjectID",
    "PersonalID",
    "EnrollmentID",
    "AssessmentID",
    "UserID",
}
# Hashed exports replace these by digests longer than HUD's string lengths.
HASHED_COLUMNS = {"FirstName", "MiddleName", "LastName", "NameSuffix", "SSN"}

# Non-ISO date forms met in real exports: (strptime format, how we name it).
DATE_FORMATS = [
    ("%m/%d/%Y", "MM/DD/YYYY"),
    ("%m/%d/%y", "MM/DD/YY"),
    ("%m-%d-%Y", "MM-DD-YYYY"),
    ("%d/%m/%Y", "DD/MM/YYYY"),
    ("%d-%m-%Y", "DD-MM-YYYY"),
    ("%Y/%m/%d", "YYYY/MM/DD"),
    ("%m-%d-%y", "MM-DD-YY"),
    ("%d-%m-%y", "DD-MM-YY"),
    ("%y-%m-%d", "YY-MM-DD"),
    ("%Y%m%d", "YYYYMMDD"),
]
TIME_PART = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class Invalid(ValueError):
    """A value that cannot be loaded; the message says what to fix."""


@dataclass
class DateColumn:
    """Non-ISO values of one date column, decided when the file has been read."""

    column: str
    is_datetime: bool
    candidates: set[str] = field(default_factory=lambda: {f for f, _ in DATE_FORMATS})
    before_created: dict[str, int] = field(default_factory=dict)  # DateUpdated < DateCreated
    pending: list[tuple[int, str]] = field(default_factory=list)  # (line, raw)

    def see(self, line: int, raw: str, created: dt.date | None) -> None:
        self.pending.append((line, raw))
        date_part = raw.split(" ")[0].split("T")[0]
        for fmt in list(self.candidates):
            try:
                parsed = dt.datetime.strptime(date_part, fmt).date()
            except ValueError:
                self.candidates.discard(fmt)
                continue
            if created and parsed < created:
                self.before_created[fmt] = self.before_created.get(fmt, 0) + 1


def split_time(raw: str) -> str | None:
    """The ``hh:mm:ss`` of a non-ISO timestamp, "00:00:00" without one, None when unreadable."""
    parts = raw.replace("T", " ").split(" ", 1)
    if len(parts) == 1:
        return "00:00:00"
    match = TIME_PART.match(parts[1].strip())
    if not match:
        return None
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def decode_lines(stream, file: str, problems: Problems) -> Iterator[str]:
    """Text lines of a binary stream; bytes that are not UTF-8 are errors with their line."""
    for number, raw in enumerate(stream, 1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.end]
            problems.error(
                file,
                number,
                "",
                bad.hex(" "),
                f"Byte {bad.hex()} at position {exc.start + 1} is not UTF-8: export the file "
                "as UTF-8 (HUD's CSV specifications require it).",
            )
            yield raw.decode("utf-8", errors="replace")


@dataclass
class Plan:
    """Where each column of the file goes and how its values are read."""

    file: str
    fields: list[str | None]  # per file column: the model field, or None (dropped)
    columns: list[Column]
    readers: list[Callable[[str], str | None] | None]  # None: the raw text is kept as is


class FileReader:
    """Reads one HUD file of an export into a staging sink."""

    def __init__(
        self,
        file: str,
        version: str,
        model,
        problems: Problems,
        *,
        hashed: bool,
        notes: list[str],
    ) -> None:
        self.file = file
        self.name = f"{file}.csv"
        self.version = version
        self.model = model
        self.problems = problems
        self.hashed = hashed
        self.notes = notes
        self.field_of = dict(model.HUD_COLUMNS)  # FY2026 column -> field
        self.date_columns: dict[int, DateColumn] = {}
        self.counts: dict[tuple[str, str], list] = {}  # aggregated warnings: [count, line, value]

    # --- header ---------------------------------------------------------------------------
    def plan(self, header: list[str]) -> Plan | None:
        spec = structure(self.version)[self.file]
        by_key = {c.name.lower(): c for c in spec}
        seen: set[str] = set()
        fields, columns = [], []
        for position, raw in enumerate(header, 1):
            name = raw.strip().strip("\ufeff")
            key = name.lower()
            column = by_key.get(key) or by_key.get(VARIANTS.get((self.file, key), "").lower())
            if column is None:
                self.problems.error(
                    self.name,
                    1,
                    name,
                    name,
                    f"Unexpected column {name!r} (position {position}): it is not in "
                    f"{self.name} of the FY{self.version} HMIS CSV format.",
                )
                continue
            if column.name in seen:
                self.problems.error(self.name, 1, name, name, f"Column {name!r} appears twice.")
                continue
            seen.add(column.name)
            current = to_current(self.version, self.file, column.name)
            fields.append(self.field_of.get(current) if current else None)
            columns.append(column)
        missing = [c.name for c in spec if c.name not in seen]
        for name in missing:
            self.problems.error(
                self.name,
                1,
                name,
                "",
                f"Column {name!r} is missing from {self.name} (FY{self.version} format).",
            )
        if self.problems.has_errors:
            return None
        if [c.name for c in columns] != [c.name for c in spec]:
            moved = out_of_order([c.position for c in columns])
            names = [columns[i].name for i in moved]
            self.problems.warning(
                self.name,
                1,
                ", ".join(names)[:200],
                "",
                f"Columns out of HUD's order ({', '.join(names)[:200]}); matched by name.",
            )
        dropped = [c.name for c, f in zip(columns, fields, strict=True) if f is None]
        if dropped:
            self.notes.append(
                f"{self.name}: FY{self.version} columns not in FY2026 were read and not kept: "
                + ", ".join(dropped)
            )
        return Plan(
            self.file,
            fields,
            columns,
            [self.reader_for(i, c) for i, c in enumerate(columns)],
        )

    # --- values ---------------------------------------------------------------------------
    def reader_for(self, index: int, column: Column) -> Callable[[str], str | None] | None:
        kind = column.type
        codes = CODE_LISTS.get(column.name)
        structural = column.name in STRUCTURAL_CODES
        max_length = column.max_length
        if self.hashed and column.name in HASHED_COLUMNS:
            max_length = None

        if kind == "string" and not max_length:
            return None  # nothing to check: no call per value

        if kind == "string":

            def read(value: str) -> str | None:
                if max_length and len(value) > max_length:
                    raise Invalid(f"Longer than HUD's {max_length} characters ({len(value)}).")
                return value

        elif kind == "integer":
            # Fast path: a value already in its canonical form (a listed code, or plain ASCII
            # digits without a leading zero) is returned as is; the rest takes the full path.
            canonical = {str(c) for c in codes} if codes is not None else None

            def read(value: str) -> str | None:
                if canonical is not None:
                    if value in canonical:
                        return value
                elif value.isascii() and value.isdigit() and (value[0] != "0" or value == "0"):
                    return value
                try:
                    number = int(value)
                except ValueError:
                    raise Invalid("Not a whole number.") from None
                if codes is not None and number not in codes:
                    allowed = ", ".join(str(c) for c in sorted(codes))
                    if structural:
                        raise Invalid(
                            f"{number} is not a code of HUD's list for {column.name} "
                            f"(allowed: {allowed})."
                        )
                    self.aggregate(column.name, "unknown-code", value)
                return str(number)

        elif kind == "money":

            def read(value: str) -> str | None:
                try:
                    amount = Decimal(value)
                except InvalidOperation:
                    raise Invalid("Not an amount of money (e.g. 1250.00).") from None
                if not amount.is_finite() or abs(amount) >= 10**10:
                    raise Invalid("Not an amount of money (e.g. 1250.00).")
                return str(amount.quantize(Decimal("0.01")))

        elif kind == "date":
            # Real ISO dates already seen in this column (few distinct days in a file).
            seen: set[str] = set()

            def read(value: str) -> str | None:
                if value in seen:
                    return value
                # value[7]: Python also reads ISO week dates ("2025-W02-1"); HUD's are
                # yyyy-mm-dd, and PostgreSQL refuses the others.
                if len(value) == 10 and value[4] == "-" and value[7] == "-":
                    try:
                        dt.date.fromisoformat(value)
                    except ValueError:
                        raise Invalid("Not a real date (yyyy-mm-dd).") from None
                    if len(seen) < 100_000:
                        seen.add(value)
                    return value
                if len(value) >= 16 and value[4] == value[7] == "-" and value[10] in " T":
                    try:
                        dt.datetime.fromisoformat(value)
                    except ValueError:
                        raise Invalid("Not a real date (yyyy-mm-dd).") from None
                    self.aggregate(column.name, "timestamp-in-date", value)
                    return value[:10]
                raise NonIso

        else:  # datetime

            def read(value: str) -> str | None:
                # Separators checked: Python also reads week dates and "+hh" offsets.
                if (
                    len(value) == 19
                    and value[4] == value[7] == "-"
                    and value[10] in " T"
                    and value[13] == value[16] == ":"
                ):
                    try:
                        dt.datetime.fromisoformat(value)
                    except ValueError:
                        raise Invalid("Not a real date and time (yyyy-mm-dd hh:mm:ss).") from None
                    return value.replace("T", " ")
                if len(value) == 10 and value[4] == value[7] == "-":
                    try:
                        dt.date.fromisoformat(value)
                    except ValueError:
                        raise Invalid("Not a real date (yyyy-mm-dd).") from None
                    self.aggregate(column.name, "date-in-timestamp", value)
                    return value + " 00:00:00"
                if (
                    len(value) == 16
                    and value[4] == value[7] == "-"
                    and value[10] in " T"
                    and value[13] == ":"
                ):
                    try:
                        dt.datetime.fromisoformat(value)
                    except ValueError:
                        raise Invalid("Not a real date and time (yyyy-mm-dd hh:mm:ss).") from None
                    self.aggregate(column.name, "no-seconds", value)
                    return value.replace("T", " ") + ":00"
                raise NonIso

        return read

    def aggregate(self, column: str, kind: str, value: str) -> None:
        entry = self.counts.setdefault((column, kind), [0, self.line, value])
        entry[0] += 1

    # --- rows -----------------------------------------------------------------------------
    def read(self, stream, sink, reopen=None) -> int:
        """Stream the file into ``sink``; returns the number of data rows read.

        ``reopen`` (a callable giving the file's bytes again from the start) allows the bulk
        path on PostgreSQL (``hmis.importer.bulk``): the raw file is ``COPY``-ed as it is and
        checked in SQL, and only rows holding a value that is not already in its canonical form
        come back through the per-row checks below. When the file is anything but plain (quotes,
        bytes PostgreSQL refuses, a row of the wrong width...), the whole file is read here
        instead, so every error and warning is the same either way.
        """
        from . import bulk

        if reopen is not None and bulk.applies(sink, self.model):
            header = bulk.read_header(stream)
            if header is not None:
                plan = self.plan(header)
                if plan is None:
                    return 0
                sink.begin(self.model, plan.fields)
                slots = self.slots(plan)
                rows = bulk.load(self, stream, plan, slots, sink)
                if rows is None:  # not plain: the per-row path over the whole file
                    with reopen() as again:
                        reader = csv.reader(decode_lines(again, self.name, self.problems))
                        next(reader, None)  # the header, already read and planned
                        rows = self.body(reader, self.lines(reader), plan, slots, sink)
                self.finish_dates(sink)
                self.finish_aggregates()
                return rows
            with reopen() as again:
                return self.read(again, sink)
        reader = csv.reader(decode_lines(stream, self.name, self.problems))
        try:
            header = next(reader)
        except StopIteration:
            self.problems.error(
                self.name,
                1,
                "",
                "",
                f"{self.name} is empty: every file of the export needs at least its header row.",
            )
            return 0
        except csv.Error as exc:
            self.problems.error(self.name, 1, "", "", f"The header cannot be read as CSV: {exc}.")
            return 0
        plan = self.plan(header)
        if plan is None:
            return 0
        sink.begin(self.model, plan.fields)
        slots = self.slots(plan)
        rows = self.body(reader, self.lines(reader), plan, slots, sink)
        self.finish_dates(sink)
        self.finish_aggregates()
        return rows

    @staticmethod
    def lines(reader) -> Iterator[tuple[int, list[str]]]:
        for row in reader:
            yield reader.line_num, row

    def slots(self, plan: Plan) -> list[tuple]:
        """Per kept column, decided once per file: (slot in the sink's row, file position,
        column, reader or None, required)."""
        columns, readers = plan.columns, plan.readers
        kept = [i for i, f in enumerate(plan.fields) if f is not None]
        return [(n, i, columns[i], readers[i], columns[i].required) for n, i in enumerate(kept)]

    def body(self, reader, numbered, plan: Plan, slots: list[tuple], sink) -> int:
        """Check and convert ``(line, row)`` pairs into ``sink``; returns the rows counted.

        ``reader`` is the csv reader behind ``numbered`` (for the line of a CSV error), or None
        when the rows come from the bulk path's staging table.
        """
        width = len(plan.columns)
        columns = plan.columns
        width_kept = len(slots)
        add = sink.add
        error = self.problems.error
        name = self.name
        created_index = next((i for i, c in enumerate(columns) if c.name == "DateCreated"), None)
        rows = 0
        self.line = 1
        try:
            for line, row in numbered:
                self.line = line
                if not row or row == [""]:
                    continue  # blank line
                rows += 1
                if len(row) != width:
                    self.problems.error(
                        self.name,
                        line,
                        "",
                        f"{len(row)} fields",
                        f"The row has {len(row)} fields; the header has {width}.",
                    )
                    continue
                values: list[str | None] = [None] * width_kept
                for n, i, column, read, required in slots:
                    raw = row[i]
                    if not raw or raw.isspace():
                        if required:
                            self.blank_required(column, line)
                        continue
                    if read is None:
                        values[n] = raw
                        continue
                    try:
                        values[n] = read(raw)
                    except NonIso:
                        self.non_iso(i, column, line, raw, row, created_index)
                    except Invalid as exc:
                        error(name, line, column.name, raw, str(exc))
                add(line, values, row, plan)
        except csv.Error as exc:
            self.problems.error(self.name, reader.line_num, "", "", f"Unreadable CSV: {exc}.")
        return rows

    def blank_required(self, column: Column, line: int) -> None:
        field = self.field_of.get(to_current(self.version, self.file, column.name) or "")
        model_field = self.model._meta.get_field(field) if field else None
        blocks = (
            column.name in KEY_COLUMNS
            or column.position == 1
            or (model_field is not None and not model_field.null and column.type != "string")
        )
        if blocks:
            self.problems.error(
                self.name, line, column.name, "", f"{column.name} is required and is blank."
            )
        else:
            self.aggregate(column.name, "blank-required", "")

    def non_iso(self, i, column, line, raw, row, created_index) -> None:
        state = self.date_columns.get(i)
        if state is None:
            state = self.date_columns[i] = DateColumn(column.name, column.type == "datetime")
        created = None
        if column.name == "DateUpdated" and created_index is not None:
            try:
                created = dt.date.fromisoformat(row[created_index][:10])
            except ValueError:
                created = None
        state.see(line, raw.strip(), created)

    def finish_dates(self, sink) -> None:
        for state in self.date_columns.values():
            first_line, first_raw = state.pending[0]
            count = len(state.pending)
            names = dict(DATE_FORMATS)
            candidates = state.candidates
            why = ""
            if len(candidates) > 1 and state.column == "DateUpdated":
                consistent = {f for f in candidates if not state.before_created.get(f)}
                if len(consistent) == 1:
                    why = " (the only reading that never puts DateUpdated before DateCreated)"
                    candidates = consistent
            if len(candidates) == 1:
                fmt = next(iter(candidates))
                converted = []
                bad = []
                for line, raw in state.pending:
                    time = split_time(raw) if state.is_datetime else ""
                    if time is None:
                        bad.append((line, raw))
                        continue
                    day = dt.datetime.strptime(raw.split(" ")[0].split("T")[0], fmt).date()
                    converted.append((line, f"{day} {time}".strip()))
                for line, raw in bad:
                    self.problems.error(
                        self.name, line, state.column, raw, "The time of day cannot be read."
                    )
                sink.fix(state.column, converted)
                example = converted[0][1] if converted else ""
                self.problems.warning(
                    self.name,
                    first_line,
                    state.column,
                    first_raw,
                    f"{count} value(s) of {state.column} are not yyyy-mm-dd; read as "
                    f"{names[fmt]}{why}, e.g. {first_raw!r} as {example[:10]}. "
                    "Ask the vendor for ISO dates.",
                )
            elif candidates:
                readings = ", ".join(
                    f"{dt.datetime.strptime(first_raw.split(' ')[0], f).date()} ({names[f]})"
                    for f in sorted(candidates)
                )
                self.problems.error(
                    self.name,
                    first_line,
                    state.column,
                    first_raw,
                    f"{count} value(s) of {state.column} are not yyyy-mm-dd and can be read more "
                    f"than one way: {first_raw!r} could be {readings}. Export dates as yyyy-mm-dd.",
                )
            else:
                for line, raw in state.pending:
                    self.problems.error(
                        self.name,
                        line,
                        state.column,
                        raw,
                        "Not a date in yyyy-mm-dd form"
                        + (" (hh:mm:ss for timestamps)." if state.is_datetime else "."),
                    )

    def finish_aggregates(self) -> None:
        messages = {
            "date-in-timestamp": "{n} value(s) of {c} are a date without a time; read as midnight.",
            "timestamp-in-date": "{n} value(s) of {c} carry a time of day; the date was kept.",
            "no-seconds": "{n} value(s) of {c} have no seconds; read as :00.",
            "unknown-code": "{n} value(s) of {c} are not codes of HUD's list; stored as exported "
            "for data-quality review.",
            "blank-required": "{c} is required by HUD and is blank in {n} row(s); stored blank "
            "for data-quality review.",
        }
        for (column, kind), (count, line, value) in sorted(self.counts.items()):
            self.problems.warning(
                self.name, line, column, value, messages[kind].format(n=count, c=column)
            )


def out_of_order(positions: list[int]) -> list[int]:
    """Indexes outside a longest increasing run of ``positions``: the columns that moved."""
    best: list[list[int]] = []
    for i, p in enumerate(positions):
        chains = [c for c in best if positions[c[-1]] < p]
        longest = max(chains, key=len, default=[])
        best.append([*longest, i])
    keep = set(max(best, key=len, default=[]))
    return [i for i in range(len(positions)) if i not in keep]


class NonIso(Exception):
    """A date that is not yyyy-mm-dd: decided per column at the end of the file."""
