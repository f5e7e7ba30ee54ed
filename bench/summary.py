"""How each benchmark's cost grows from 20,000 to 200,000 clients (the last step of `make bench`).

    .venv/bin/python bench/summary.py [--write-docs]

Reads the figures the benchmarks left in ``var/bench/`` (``import-bench*.json``,
``dq-bench-*.json``, ``report-bench.json``, ``load-bench.json``; for each size the newest file
that has it) and prints one table: each figure at both sizes, its growth factor (10× the clients:
10× is linear) and, where the benchmark has one, the ratio to its PostgreSQL baseline (import ÷
raw ``COPY`` of the same files, scan ÷ one sequential read of the tables the rules read).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from docs_block import replace_block  # noqa: E402  (bench/ is the script's folder)

WORKDIR = ROOT / "var" / "bench"
DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- bench-summary:start -->", "<!-- bench-summary:end -->"
SMALL, LARGE = 20000, 200000


def newest(pattern: str) -> dict[int, dict]:
    """Per size, the result from the newest file matching ``pattern`` that has that size."""
    by_size: dict[int, dict] = {}
    for path in sorted(WORKDIR.glob(pattern), key=lambda p: p.stat().st_mtime):
        for result in json.loads(path.read_text()):
            by_size[result["clients"]] = result
    return by_size


def rows() -> list[tuple[str, float | None, float | None, str, str]]:
    """(figure, at 20,000, at 200,000, unit, baseline ratios) for every figure measured."""
    out = []
    imports = newest("import-bench*.json")
    if imports:
        s, b = imports.get(SMALL, {}), imports.get(LARGE, {})
        ratio = " / ".join(f"{r['ratio']:.1f}× COPY" for r in (s, b) if r)
        out.append(("import (real importer)", s.get("import_s"), b.get("import_s"), "s", ratio))
        out.append(("raw COPY of the same files", s.get("copy_s"), b.get("copy_s"), "s", ""))
        if s.get("floor_s") or b.get("floor_s"):
            ratio = " / ".join(f"{r['floor_ratio']:.1f}× COPY" for r in (s, b) if r.get("floor_s"))
            out.append(("import floor (typed COPY + index builds)", s.get("floor_s"),
                        b.get("floor_s"), "s", ratio))  # fmt: skip
        out.append(("import peak memory", s.get("peak_mib"), b.get("peak_mib"), "MiB", ""))
    scans = newest("dq-bench-*.json")
    if scans:
        s, b = scans.get(SMALL, {}), scans.get(LARGE, {})
        if not imports:  # the shared databases' builds (bench/shared.py): no COPY baseline
            out.append(("import (shared database build)", s.get("import_seconds"),
                        b.get("import_seconds"), "s", "no COPY in that run"))  # fmt: skip
        for key, label in (("first", "DQ scan, first"), ("repeat", "DQ scan, repeat")):
            ratio = " / ".join(f"{r[key + '_ratio']:.1f}× read" for r in (s, b) if r)
            out.append((label, s.get(f"{key}_seconds"), b.get(f"{key}_seconds"), "s", ratio))
        out.append(("DQ scan statements", s.get("first_statements"), b.get("first_statements"),
                    "", ""))  # fmt: skip
        out.append(("sequential read (baseline)", s.get("read_seconds"), b.get("read_seconds"),
                    "s", ""))  # fmt: skip
    reports = newest("report-bench.json")
    for kind in ("apr", "pit", "hic"):
        got = {
            n: next((x for x in r["reports"] if x["kind"] == kind), None)
            for n, r in reports.items()
        }
        s, b = got.get(SMALL), got.get(LARGE)
        if s or b:
            out.append((f"{kind.upper()} build", s and s["seconds"], b and b["seconds"], "s", ""))
    loads = newest("load-bench.json")
    for name in ("api clients list", "api client detail", "page clients", "Aggregated"):
        got = {}
        for n, r in loads.items():
            row = next((x for x in r["stats"] if x["name"] == name), None)
            if row:
                got[n] = row
        s, b = got.get(SMALL), got.get(LARGE)
        label = "load, all requests" if name == "Aggregated" else f"load, {name}"
        if s or b:
            out.append((f"{label}: p95", s and s["p95"], b and b["p95"], "ms", ""))
    return out


def growth(small, large) -> str:
    if not small or large is None:
        return "—"
    return f"{large / small:.1f}×"


def fmt(value, unit: str) -> str:
    if value is None:
        return "not measured"
    if isinstance(value, int):
        number = f"{value:,}"
    else:
        number = f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
    return f"{number} {unit}".strip()


def table() -> str:
    lines = [
        "| figure | 20,000 clients | 200,000 clients | growth (10× clients) "
        "| vs PostgreSQL baseline |",
        "|---|---:|---:|---:|---|",
    ]
    for label, small, large, unit, ratio in rows():
        lines.append(
            f"| {label} | {fmt(small, unit)} | {fmt(large, unit)} | {growth(small, large)} "
            f"| {ratio or '—'} |"
        )
    return "\n".join(lines)


def write_docs() -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = f"{START}\nCollected {stamp} (`bench/summary.py`):\n\n{table()}\n{END}"
    replace_block(DOCS, START, END, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-docs", action="store_true", help="Update docs/performance.md.")
    args = parser.parse_args()
    print(table())
    if args.write_docs:
        write_docs()


if __name__ == "__main__":
    main()
