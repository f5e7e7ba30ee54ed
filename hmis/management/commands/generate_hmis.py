"""``manage.py generate_hmis``: write a synthetic FY2026 HMIS CSV export with planted defects."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hmis.synthetic import DEFECTS, GeneratorOptions, default_rates, generate, parse_projects_json
from hmis.synthetic.generator import default_layout


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date in the form YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = (
        "Write a valid HUD HMIS CSV export (FY2026, CSVVersion '2026 v1.0') of synthetic clients "
        "to --out (a zip), with data-quality defects planted at set rates, and a manifest of "
        "exactly what was planted next to it (<out stem>.manifest.json). Manifest: "
        '{"format": "hmis-synthetic-manifest/1", "seed", "clients", "coc", "start", "as_of", '
        '"rates", "file_counts", "definitions": {key: text}, "record_files": {key: file}, '
        '"counts": {key: n}, "defects": {key: [[file, hud_id, personal_id], ...]}}. Defect keys: '
        + ", ".join(DEFECTS)
        + ". The same --seed always gives the same export. Rows are streamed: 200,000 clients "
        "take a few minutes and little memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True, help="Number of clients.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--out", required=True, help="Path of the zip to write.")
        parser.add_argument("--coc", default="XX-500", help="HUD CoC code (default XX-500).")
        parser.add_argument(
            "--as-of",
            default="2026-09-30",
            help="Report end date: ExportEndDate, and the date the 90-day and annual rules use "
            "(default 2026-09-30).",
        )
        parser.add_argument(
            "--start",
            help="ExportStartDate, first possible entry (default: 3 years before --as-of).",
        )
        parser.add_argument(
            "--end", help="Alias of --as-of (the export's end date).", dest="end_date"
        )
        parser.add_argument(
            "--defect-rate",
            type=float,
            help="One rate for every defect (probability per eligible record).",
        )
        parser.add_argument(
            "--rate",
            action="append",
            default=[],
            metavar="KEY=RATE",
            help="Rate of one defect, e.g. --rate ssn_issue=0.05 (repeatable).",
        )
        parser.add_argument("--no-defects", action="store_true", help="Plant nothing.")
        parser.add_argument(
            "--organizations",
            type=int,
            help="Number of organizations of the default layout (three projects each).",
        )
        parser.add_argument(
            "--projects",
            help='JSON file: {"organizations": [{"id": "A", "name": "...", "projects": '
            '[{"id": "A-ES1", "name": "...", "type": 0}, ...]}, ...]}.',
        )
        parser.add_argument(
            "--enrollments-per-client", type=float, default=2.0, help="Average (default 2)."
        )
        parser.add_argument(
            "--services-per-client", type=float, default=10.0, help="Average (default 10)."
        )
        parser.add_argument("--source-name", default="Synthetic HMIS", help="Export.SourceName.")

    def handle(self, *args, **opts):
        if opts["clients"] < 1:
            raise CommandError("--clients must be at least 1.")
        rates = default_rates(0.0 if opts["no_defects"] else opts["defect_rate"])
        for item in opts["rate"]:
            key, _, value = item.partition("=")
            if key not in DEFECTS:
                raise CommandError(f"Unknown defect {key!r}. Known: {', '.join(DEFECTS)}.")
            try:
                rates[key] = float(value)
            except ValueError as exc:
                raise CommandError(f"--rate {item!r}: the rate must be a number.") from exc
        if any(not 0 <= rate <= 1 for rate in rates.values()):
            raise CommandError("Rates must be between 0 and 1.")
        organizations = projects = None
        if opts["projects"]:
            try:
                spec = json.loads(Path(opts["projects"]).read_text(encoding="utf-8"))
                organizations, projects = parse_projects_json(spec)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"--projects {opts['projects']}: {exc}") from exc
        elif opts["organizations"]:
            organizations, projects = default_layout(opts["clients"], opts["organizations"])
        options = GeneratorOptions(
            clients=opts["clients"],
            seed=opts["seed"],
            coc=opts["coc"],
            as_of=_date(opts["end_date"] or opts["as_of"]),
            start=_date(opts["start"]) if opts["start"] else None,
            rates=rates,
            organizations=organizations,
            projects=projects,
            enrollments_per_client=opts["enrollments_per_client"],
            services_per_client=opts["services_per_client"],
            source_name=opts["source_name"],
        )
        started = time.monotonic()
        try:
            result = generate(opts["out"], options)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{name} {n}" for name, n in result.counts.items() if n)
        planted = sum(result.manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {result.zip_path} in {time.monotonic() - started:.1f}s ({counts}); "
                f"{planted} planted defects listed in {result.manifest_path}."
            )
        )
