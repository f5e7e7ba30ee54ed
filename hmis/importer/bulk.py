"""The bulk path of one file on PostgreSQL: raw ``COPY``, checks in SQL, Python for the rest.

Issue 4 item 9 (import ≤ 3× a raw ``COPY``). Reading every value in Python costs about as much
as the whole rest of the import, while almost every value of an export is already in its
canonical form (a listed code, plain digits, ``yyyy-mm-dd``…), for which the per-row checks of
``reader.FileReader`` neither complain nor change anything. So, for a *plain* file:

1. its bytes after the header go as they are into a temporary table of text columns
   (``COPY … FROM STDIN``; the line of each row is an identity column counting from 2), while
   Python only looks at the bytes going past (UTF-8, quoting, NUL, line lengths, lines counted);
2. one ``INSERT … SELECT`` moves every row whose values are all canonical into the file's
   staging table, cast to their types (the predicates below say "canonical" exactly where the
   Python readers accept a value as it is, without error, warning or conversion);
3. the remaining rows (blank required values, unknown codes, non-ISO dates, bad numbers…) are
   read back in line order and go through ``FileReader.body``: the very same checks, so the
   same ``{file, line, column, value, message}`` errors and aggregated warnings.

A file is plain when PostgreSQL's CSV parser and Python's ``csv`` module cannot disagree about
it: quotes only around whole fields, doubled inside and without line breaks (``LINES``), valid
UTF-8 without NUL, lines under ``csv.field_size_limit``, and
``COPY`` takes every line as one row of the header's width (else it fails: a blank line, a row
of another width, a lone carriage return, ``\\.``…). Anything else — and ``Client.csv``, whose
SSN is encrypted and hashed per row in Python — takes the per-row path over the whole file.
"""

from __future__ import annotations

import codecs
import csv
import re

import psycopg2
import psycopg2.errors
from django.db import connection, transaction

from hmis.codes import CODE_LISTS
from hmis.models import Client

from .reader import HASHED_COLUMNS
from .staging import hud_fields, stage_type, stg

CHUNK = 256 * 1024  # smaller than the csv field limit, so only a chunk's edges can hold a long line
FIELD_LIMIT = 1024 * 1024  # reader.py: csv.field_size_limit


# Lines on which both CSV parsers agree: each field unquoted without any quote, or wholly quoted
# with inner quotes doubled, no line break inside quotes (so one line is one row), CR only
# before LF.
FIELD = rb'(?:[^",\r\n]*|"(?:[^"\r\n]|"")*")'
LINE = FIELD + rb"(?:," + FIELD + rb")*\r?"
LINES = re.compile(rb"(?:" + LINE + rb"\n)*")
LAST_LINE = re.compile(LINE)


class NotPlain(Exception):
    """The file needs the per-row path (see the module's docstring)."""


def applies(sink, model) -> bool:
    return sink.pg and model is not Client


def read_header(stream) -> list[str] | None:
    """The header row, when it is plain (else None: the per-row path reads the file)."""
    first = stream.readline()
    if not first or b"\x00" in first or not first.endswith(b"\n"):
        return None
    first = first.removeprefix(b"\xef\xbb\xbf")
    if b'"' in first and not LINES.fullmatch(first):
        return None
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        return None
    rows = list(csv.reader([text]))
    if len(rows) != 1 or not rows[0] or rows[0] == [""]:
        return None
    return rows[0]


class Watched:
    """The file's remaining bytes for ``copy_expert``, checked as they go past."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.lines = 0
        self.tail = 0  # bytes since the last newline
        self.carry = b""  # those bytes
        self.last = b""
        self.refused = False

    def read(self, size: int = CHUNK) -> bytes:
        # psycopg2 reports an exception raised here as a cancelled COPY: remember ours.
        try:
            return self.checked(size)
        except (NotPlain, UnicodeDecodeError):
            self.refused = True
            raise

    def checked(self, size: int) -> bytes:
        chunk = self.stream.read(size)
        if not chunk:
            self.decoder.decode(b"", final=True)  # a truncated character at the end
            if b'"' in self.carry and not LAST_LINE.fullmatch(self.carry):
                raise NotPlain
            return chunk
        if b"\x00" in chunk:
            raise NotPlain
        data = self.carry + chunk
        cut = data.rfind(b"\n") + 1
        # Quotes: the complete lines so far must be ones both parsers read alike.
        if (b'"' in chunk or b'"' in self.carry) and not LINES.fullmatch(data, 0, cut):
            raise NotPlain
        self.carry = data[cut:]  # the line begun, checked with its end
        self.decoder.decode(chunk)  # UnicodeDecodeError: not plain
        newlines = chunk.count(b"\n")
        if newlines:
            if self.tail + chunk.index(b"\n") > FIELD_LIMIT:
                raise NotPlain
            self.tail = len(chunk) - chunk.rindex(b"\n") - 1
        else:
            self.tail += len(chunk)
        if self.tail > FIELD_LIMIT:
            raise NotPlain
        self.lines += newlines
        self.last = chunk[-1:]
        return chunk

    @property
    def rows(self) -> int:
        """Lines after the header: each must be one row."""
        return self.lines + (1 if self.last and self.last != b"\n" else 0)


# Lookup tables of the canonical date and time texts, built once per connection: one hashed
# probe per value instead of a dozen string operations (issue 4: the checks were ~80 % of the
# staging INSERT). A value outside them (a date before 1900 or after 2100) is simply not
# canonical: it takes the per-row path, which gives the same verdict, only slower. Each date
# column of a statement builds its own hash of them (~25 ms each), so a file of fewer than
# LOOKUP_ROWS rows keeps the string expressions, cheaper there.
DAYS, TIMES = "hmis_import_days", "hmis_import_times"
FIRST_DAY, LAST_DAY = "1900-01-01", "2100-12-31"
LOOKUP_ROWS = 100_000


def ensure_lookups(cursor, sink) -> None:
    """Create the lookups on first use; the sink drops them with its tables at the end."""
    cursor.execute(f"SELECT to_regclass('pg_temp.{DAYS}')")
    if cursor.fetchone()[0] is not None:
        return
    cursor.execute(
        f"CREATE TEMPORARY TABLE {DAYS} AS SELECT to_char(d, 'YYYY-MM-DD') AS d "
        f"FROM generate_series('{FIRST_DAY}'::date, '{LAST_DAY}'::date, '1 day') d"
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {TIMES} AS SELECT to_char(t, ' HH24:MI:SS') AS t "
        "FROM generate_series('2000-01-01'::timestamp, '2000-01-01 23:59:59', '1 second') t"
    )
    cursor.execute(f"ANALYZE {DAYS}")
    cursor.execute(f"ANALYZE {TIMES}")
    sink.created += [DAYS, TIMES]


def one_of(x: str, table: str, column: str) -> str:
    """SQL, never NULL: ``x`` is a value of the lookup table. ``IS TRUE`` keeps it a hashed
    subplan (a bare ``IN`` among the ANDs would be pulled up into a join the planner can
    misjudge)."""
    return f"({x} IN (SELECT {column} FROM {table})) IS TRUE"


def shape(x: str, form: str) -> str:
    """SQL: ``x`` has ``form`` with ASCII digits where it has 0 (cheaper than a regex)."""
    return f"translate({x}, '123456789', '000000000') = '{form}'"


def part(x: str, start: int, length: int) -> str:
    """SQL: a slice of ``x`` compared bytewise (digits of fixed width compare as numbers)."""
    return f'substr({x}, {start}, {length}) COLLATE "C"'


def valid_day(x: str) -> str:
    """SQL, for ``x`` of the shape yyyy-mm-dd: a real day (what ``date.fromisoformat`` takes).

    Compared as text (cheaper than casts); the leap year only for February 29."""
    y, m, d = f"left({x}, 4)", part(x, 6, 2), part(x, 9, 2)
    leap = f"(mod({y}::int, 4) = 0 AND (mod({y}::int, 100) <> 0 OR mod({y}::int, 400) = 0))"
    return (
        f"{y} <> '0000' AND {m} BETWEEN '01' AND '12' AND {d} >= '01' AND ({d} <= '28' "
        f"OR ({m} <> '02' AND ({d} <= '30' OR ({d} = '31' AND {m} IN "
        f"('01', '03', '05', '07', '08', '10', '12')))) OR ({m} = '02' AND {d} = '29' AND {leap}))"
    )


def iso_date(x: str, lookups: bool) -> str:
    """SQL: ``x`` is ``yyyy-mm-dd`` and a real day (what ``date.fromisoformat`` takes)."""
    if lookups:
        return one_of(x, DAYS, "d")
    return f"CASE WHEN {shape(x, '0000-00-00')} THEN {valid_day(x)} ELSE false END"


def iso_datetime(x: str, lookups: bool) -> str:
    """SQL: ``x`` is ``yyyy-mm-dd hh:mm:ss``, a real day and time."""
    if lookups:
        return (
            f"(length({x}) = 19 AND {one_of(f'left({x}, 10)', DAYS, 'd')} "
            f"AND {one_of(f'substr({x}, 11)', TIMES, 't')})"
        )
    return (
        f"CASE WHEN {shape(x, '0000-00-00 00:00:00')} THEN {valid_day(x)} "
        f"AND {part(x, 12, 2)} <= '23' AND {part(x, 15, 2)} <= '59' "
        f"AND {part(x, 18, 2)} <= '59' ELSE false END"
    )


def canonical(reader, column, x: str, lookups: bool = False) -> str:
    """SQL, never NULL: the raw value ``x`` passes ``FileReader`` unchanged and unremarked."""
    kind = column.type
    max_length = column.max_length
    if reader.hashed and column.name in HASHED_COLUMNS:
        max_length = None
    if kind == "string":
        # Its first byte a visible ASCII character: not blank for str.isspace() either; no more
        # bytes than HUD's characters (bytewise comparisons: no regular expression, no count of
        # characters). A value that starts otherwise is read by the per-row path.
        check = f"{x} COLLATE \"C\" >= '!' AND {x} COLLATE \"C\" < E'\\x7f'"
        if max_length:
            check += f" AND octet_length({x}) <= {int(max_length)}"
    elif kind == "integer":
        codes = CODE_LISTS.get(column.name)
        if codes is not None:
            check = f"{x} IN ({', '.join(repr(str(int(c))) for c in sorted(codes))})"
        else:
            # Plain ASCII digits, no leading zero, at most 9 (an integer column holds them).
            check = (
                f"({x} IN ('0', '1', '2', '8', '9', '99') OR ({x} <> '' AND length({x}) <= 9 "
                f"AND translate({x}, '0123456789', '') = '' AND left({x}, 1) <> '0'))"
            )
    elif kind == "money":
        check = f"{x} ~ '^-?(0|[1-9][0-9]{{0,9}})(\\.[0-9]{{1,2}})?$'"
    elif kind == "date":
        check = iso_date(x, lookups)
    elif kind == "datetime":
        check = iso_datetime(x, lookups)
    else:
        check = "false"
    # Never NULL: a blank (NULL) value is canonical where it is not required, and ``check`` is
    # not NULL for a value that is not.
    if column.required:
        return f"({x} IS NOT NULL AND {check})"
    return f"({x} IS NULL OR {check})"


def load(reader, stream, plan, slots, sink) -> int | None:
    """Load the rest of ``stream`` (after the header) the bulk way; returns the rows read, or
    None when the file is not plain (nothing was written: the caller reads it row by row)."""
    model = reader.model
    raw = f"hmis_raw_{model._meta.model_name}"
    width = len(plan.columns)
    cols = [f"c{i}" for i in range(width)]
    watched = Watched(stream)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {raw}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {raw} (line integer GENERATED ALWAYS AS IDENTITY "
                f"(START WITH 2), {', '.join(f'{c} text' for c in cols)})"
            )
            cursor.cursor.copy_expert(
                f"COPY {raw} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)", watched, CHUNK
            )
            rows = cursor.rowcount
            if rows != watched.rows:
                raise NotPlain
    except (NotPlain, psycopg2.DataError):
        return None
    except psycopg2.errors.QueryCanceled:
        if watched.refused:
            return None
        raise
    fields = {f.name: f for f in hud_fields(model)}
    lookups = rows >= LOOKUP_ROWS
    targets, values, checks = ["line"], ["r.line"], []
    for n, i, column, _read, _required in slots:
        field = fields[plan.fields[i]]
        x = f"r.c{i}"
        targets.append(sink.columns[n + 1])
        kind = stage_type(field)
        values.append(x if kind == "text" else f"{x}::{kind}")
        checks.append(canonical(reader, column, x, lookups))
    table = stg(model)
    with transaction.atomic(), connection.cursor() as cursor:
        if lookups:
            ensure_lookups(cursor, sink)
            # Room for the lookups' hash tables (a few MiB each): without it the planner could
            # rescan a lookup per value.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(targets)}) SELECT {', '.join(values)} "
            f"FROM {raw} r WHERE {' AND '.join(checks) or 'true'}"
        )
    # The other rows, in line order, through the per-row checks.
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT r.line, {', '.join(f'r.{c}' for c in cols)} FROM {raw} r "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE s.line = r.line) ORDER BY r.line"
        )
        pairs = ((row[0], [v or "" for v in row[1:]]) for row in iter_rows(cursor))
        reader.body(None, pairs, plan, slots, sink)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {raw}")
    return rows


def iter_rows(cursor, size: int = 5000):
    while batch := cursor.fetchmany(size):
        yield from batch
