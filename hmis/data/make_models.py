"""Writes ``hmis/models/records.py`` from ``hmis/data/csv-columns.csv`` (FY2026 columns).

Run ``python hmis/data/make_models.py`` after updating the column file, then ``makemigrations``.
The generated module is committed so that readers (and migrations) see plain Django fields.
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "models" / "records.py"

# HUD file -> model class. ``User`` would clash with ``roles.User`` in readers' minds.
MODEL_NAMES = {"User": "HMISUser"}

# Files in dependency order (parents before children): import and delete follow it.
FILES = [
    "Export",
    "Organization",
    "HMISUser",
    "Project",
    "Funder",
    "ProjectCoC",
    "Inventory",
    "HMISParticipation",
    "CEParticipation",
    "Affiliation",
    "Client",
    "Enrollment",
    "Exit",
    "IncomeBenefits",
    "HealthAndDV",
    "EmploymentEducation",
    "Disabilities",
    "Services",
    "CurrentLivingSituation",
    "Assessment",
    "AssessmentQuestions",
    "AssessmentResults",
    "Event",
    "YouthEducationStatus",
]

# Field names that the plain snake_case rule gets wrong or that would clash with a resolved
# foreign key's ``<name>_id`` attribute: the HUD text key of a referenced record is then
# ``hud_<name>_id`` (as ``agencies.Project.hud_project_id``).
SPECIAL = {"HealthAndDVID": "health_and_dv_id"}
CLASHES = {
    "ProjectID": "hud_project_id",
    "OrganizationID": "hud_organization_id",
    "EnrollmentID": "hud_enrollment_id",
    "AssessmentID": "hud_assessment_id",
    "SourceID": "hud_source_id",
}

PROJECT_CHILDREN = {
    "Funder",
    "ProjectCoC",
    "Inventory",
    "HMISParticipation",
    "CEParticipation",
    "Affiliation",
}
ENROLLMENT_CHILDREN = {
    "Exit",
    "IncomeBenefits",
    "HealthAndDV",
    "EmploymentEducation",
    "Disabilities",
    "Services",
    "CurrentLivingSituation",
    "Assessment",
    "AssessmentQuestions",
    "AssessmentResults",
    "Event",
    "YouthEducationStatus",
}
# Columns that get a database index: what set-based scans and reports join and filter on.
INDEXED = {
    "project_type",
    "entry_date",
    "exit_date",
    "household_id",
    "date_provided",
    "record_type",
    "information_date",
    "data_collection_stage",
    "personal_id",
    "dob",
    "destination",
    "relationship_to_hoh",
    "move_in_date",
    "disability_type",
    "event_date",
    "assessment_date",
    "inventory_start_date",
}
# Client columns that hashed exports replace by a hex digest (SHA-256: 64 characters), wider
# than HUD's S50; the importer applies HUD's lengths to unhashed exports only.
HASHABLE = {"FirstName", "MiddleName", "LastName", "NameSuffix"}
# The column file types these as strings; HUD's spec says I (lists 3.02.2 and 3.03.2). HUD wins.
TYPE_FIXES = {"SSNDataQuality": "integer", "DOBDataQuality": "integer"}
# Money columns (HUD type "M"; the column file says string(50), HUD wins).
MONEY = re.compile(r"(Amount|TotalMonthlyIncome)$")


def snake(name: str) -> str:
    if name in SPECIAL:
        return SPECIAL[name]
    n = name.replace("HoH", "Hoh").replace("TCell", "Tcell").replace("CoC", "Coc")
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", n)
    s = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", s)
    return s.lower()


def field_name(model: str, column: str, position: int) -> str:
    if position == 1:
        return snake(column)  # the record's own HUD key never clashes
    if column in CLASHES:
        uses_fk = (
            (column == "ProjectID" and (model in PROJECT_CHILDREN or model == "Enrollment"))
            or (column == "OrganizationID" and model == "Project")
            or (column == "EnrollmentID" and model in ENROLLMENT_CHILDREN)
            or (column == "AssessmentID" and model in {"AssessmentQuestions", "AssessmentResults"})
            or (column == "SourceID" and model == "Export")
        )
        if uses_fk:
            return CLASHES[column]
    return snake(column)


def field_code(model: str, col: dict, position: int) -> str:
    name = col["column"]
    kind = TYPE_FIXES.get(name, col["type"])
    required = col["required"] == "yes"
    verbose = f'"{name}"'
    if model == "Client" and name == "SSN":
        return ""  # stored encrypted, see Client
    if kind == "string" and MONEY.search(name):
        return (
            f"    {field_name(model, name, position)} = models.DecimalField({verbose}, "
            "max_digits=12, decimal_places=2, null=True, blank=True)\n"
        )
    if kind == "string":
        length = int(col["max_length"] or 250)
        if model == "Client" and name in HASHABLE:
            length = max(length, 128)  # hashed exports (HashStatus 2-4) hold hex digests
        blank = "" if required else ", blank=True"
        return (
            f"    {field_name(model, name, position)} = models.CharField({verbose}, "
            f'max_length={length}{blank}, default="")\n'
        )
    cls = {"integer": "IntegerField", "date": "DateField", "datetime": "DateTimeField"}[kind]
    fname = field_name(model, name, position)
    index = ", db_index=True" if fname in INDEXED else ""
    null = "" if required else ", null=True, blank=True"
    return f"    {fname} = models.{cls}({verbose}{null}{index})\n"


def main() -> None:
    rows = [r for r in csv.DictReader((HERE / "csv-columns.csv").open()) if r["version"] == "2026"]
    by_file: dict[str, list[dict]] = {}
    for r in rows:
        by_file.setdefault(MODEL_NAMES.get(r["file"], r["file"]), []).append(r)
    out = [
        '"""HUD HMIS CSV FY2026 columns, one abstract model per file.\n\n'
        "GENERATED by ``hmis/data/make_models.py`` from ``hmis/data/csv-columns.csv``: do not\n"
        "edit by hand. ``hmis/models/hud.py`` adds keys, links and the restriction.\n"
        '"""\n\n',
        "from django.db import models\n\n",
        "from .base import HudRecord\n",
    ]
    for model in FILES:
        cols = sorted(by_file[model], key=lambda r: int(r["position"]))
        hud_file = {v: k for k, v in MODEL_NAMES.items()}.get(model, model)
        out.append(f"\n\nclass {model}Columns(HudRecord):\n")
        out.append(f'    """{hud_file}.csv, FY2026 ({len(cols)} columns)."""\n\n')
        out.append(f'    HUD_FILE = "{hud_file}"\n')
        out.append("    HUD_COLUMNS = (\n")
        for i, c in enumerate(cols, 1):
            out.append(f'        ("{c["column"]}", "{field_name(model, c["column"], i)}"),\n')
        out.append("    )\n\n")
        for i, c in enumerate(cols, 1):
            out.append(field_code(model, c, i))
        out.append("\n    class Meta:\n        abstract = True\n")
    OUT.write_text("".join(out))
    # Keep the generated file in the project's format (ruff format is idempotent).
    subprocess.run(["ruff", "format", str(OUT)], check=False)


if __name__ == "__main__":
    main()
