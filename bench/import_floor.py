"""The floor under any importer of this schema (issue 4): typed load plus index builds.

Run by hand, never in the test suite, on a migrated database (the one ``import_bench.py`` uses)::

    .venv/bin/python bench/import_floor.py var/bench/hmis-200000-s1.zip

``import_bench.py`` compares the importer with a raw ``COPY`` of the CSV files into tables of
text columns. This script measures, for the same files in the same run, the least that writing
them into *this* schema costs: each file is ``COPY``-ed straight into a copy of its target table
(typed columns, no constraints, no indexes, no validation, no links resolved, no SSN
encryption), then the target table's own indexes are built on it in one sorted pass each (much
cheaper than maintaining them row by row). No importer can write the same rows into the real,
indexed tables for less, so ``(typed COPY + index builds) ÷ raw COPY`` is a lower bound of the
importer's ratio on this machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from import_bench import copy_file  # noqa: E402  (bench/ is the script's folder)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_import"


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hmis_gov.settings.local")
    import django

    django.setup()


def measure(url: str, zip_path: Path) -> list[dict]:
    import psycopg2
    from django.conf import settings

    from hmis.models import HUD_MODELS

    connection = psycopg2.connect(url)
    connection.autocommit = True
    results = []
    with zipfile.ZipFile(zip_path) as archive, connection.cursor() as cur:
        # HUD timestamps are local time: the typed COPY reads them in the CoC's zone, as the
        # importer does.
        cur.execute("SET TimeZone = %s", [settings.TIME_ZONE])
        for file, model in HUD_MODELS.items():
            member = f"{file}.csv"
            with archive.open(member) as raw:
                header = next(csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig")))
            table = model._meta.db_table
            # 1. the raw COPY, as import_bench.py times it
            started = time.perf_counter()
            rows = copy_file(cur, archive, member, "floor_raw")
            raw_s = time.perf_counter() - started
            cur.execute("DROP TABLE floor_raw")
            # 2. the typed COPY into an index-less copy of the target table
            field_of = dict(model.HUD_COLUMNS)
            columns, char_columns = [], []
            cur.execute(
                f"DROP TABLE IF EXISTS floor_typed; "
                f"CREATE TABLE floor_typed (LIKE {table} INCLUDING DEFAULTS)"
            )
            for position, name in enumerate(header):
                field_name = field_of.get(name)
                kept = field_name and field_name != "ssn"
                field = model._meta.get_field(field_name) if kept else None
                if field is None:
                    column = f"floor_extra_{position}"  # SSN: not a column of the model
                    cur.execute(f'ALTER TABLE floor_typed ADD COLUMN "{column}" text')
                else:
                    column = field.column
                    if field.get_internal_type() == "CharField":
                        char_columns.append(column)
                columns.append(column)
            # No NOT NULL: blank values of the planted defects load too (a floor, not a check).
            cur.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'floor_typed'::regclass "
                "AND attnum > 0 AND attnotnull"
            )
            for (column,) in cur.fetchall():
                cur.execute(f'ALTER TABLE floor_typed ALTER COLUMN "{column}" DROP NOT NULL')
            quoted = ", ".join(f'"{c}"' for c in columns)
            force = ", ".join(f'"{c}"' for c in char_columns)
            options = "FORMAT csv, HEADER true" + (f", FORCE_NOT_NULL ({force})" if force else "")
            started = time.perf_counter()
            with archive.open(member) as raw:
                cur.copy_expert(f"COPY floor_typed ({quoted}) FROM STDIN WITH ({options})", raw)
            typed_s = time.perf_counter() - started
            # 3. the target's indexes, each built in one pass
            cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
            definitions = [row[0] for row in cur.fetchall()]
            started = time.perf_counter()
            for n, definition in enumerate(definitions):
                on = definition.index(" ON ")
                head = definition[:on].rsplit(" ", 1)[0]  # CREATE [UNIQUE] INDEX
                rest = definition[on:].replace(f" public.{table} ", " floor_typed ", 1)
                cur.execute(f"{head} floor_index_{n}{rest}")
            index_s = time.perf_counter() - started
            cur.execute("DROP TABLE floor_typed")
            results.append(
                {
                    "file": member,
                    "rows": rows,
                    "raw_s": raw_s,
                    "typed_s": typed_s,
                    "indexes": len(definitions),
                    "index_s": index_s,
                }
            )
            print(
                f"{member:28} {rows:>10,} rows  raw COPY {raw_s:6.2f} s  typed COPY "
                f"{typed_s:6.2f} s  {len(definitions)} indexes {index_s:6.2f} s",
                flush=True,
            )
    connection.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("zip", type=Path)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--json", type=Path, help="Also write the totals here (import_bench.py).")
    args = parser.parse_args()
    setup(args.url)
    results = measure(args.url, args.zip)
    raw = sum(r["raw_s"] for r in results)
    typed = sum(r["typed_s"] for r in results)
    index = sum(r["index_s"] for r in results)
    if args.json:
        totals = {"raw_s": raw, "typed_s": typed, "index_s": index, "files": results}
        args.json.write_text(json.dumps(totals, indent=1))
    print(
        f"\nall files: raw COPY {raw:.1f} s; typed COPY {typed:.1f} s + index builds "
        f"{index:.1f} s = {typed + index:.1f} s: the floor is {(typed + index) / raw:.2f}× "
        "the raw COPY"
    )


if __name__ == "__main__":
    main()
