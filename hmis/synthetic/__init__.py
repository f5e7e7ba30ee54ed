"""Synthetic HUD HMIS CSV exports (FY2026, CSVVersion "2026 v1.0") with planted DQ defects.

``generate(out, GeneratorOptions(...))`` writes ``out`` (a zip with the 24 FY2026 files, exactly
HUD's columns in HUD's order, see ``columns_2026.csv``) and, next to it, ``<stem>.manifest.json``:

.. code-block:: json

    {
      "format": "hmis-synthetic-manifest/1",
      "csv_version": "2026 v1.0", "export_id": "SYN7", "seed": 7, "clients": 1000,
      "coc": "XX-500", "start": "2023-10-01", "as_of": "2026-09-30",
      "rates": {"name_missing": 0.02, ...},            # probability per eligible record
      "file_counts": {"Client": 1000, "Enrollment": 2010, ...},   # data rows per file
      "definitions": {"name_missing": "NameDataQuality = 99, or ...", ...},
      "record_files": {"name_missing": "Client", ...},  # which file a key's records are in
      "counts": {"name_missing": 19, ...},
      "defects": {"name_missing": [["Client", "C17", "C17"], ...], ...}
    }

Each entry of ``defects[key]`` is ``[file, hud_id, personal_id]``: the HMIS CSV file (without
``.csv``), that file's HUD id (PersonalID, EnrollmentID or ExitID) and the client's PersonalID.
Every key of ``hmis.synthetic.defects.DEFECTS`` is present (an empty list when nothing was
planted). The definitions (also in the manifest) are exact: records not listed are clean for every
definition, so a data-quality scan that implements them finds exactly the manifest. ``as_of`` is
the report end date for the 90-day and annual-assessment rules; ``start`` and ``as_of`` are the
export's ExportStartDate and ExportEndDate.

Realism: families of one to five people (households with children share a HouseholdID, one head
each) move through ES entry/exit and night-by-night shelters (bed nights as Services RecordType
200), TH, SH, PSH and RRH (with move-in dates), street outreach (CurrentLivingSituation contacts,
date of engagement, PATH services), coordinated entry (Assessment, AssessmentQuestions,
AssessmentResults, Event) and homelessness prevention; exits go to varied FY2024 3-digit
destinations; IncomeBenefits at entry, each anniversary and exit (DataCollectionStage 1/5/3),
Disabilities and HealthAndDV at entry; Inventory for residential projects; Funder, ProjectCoC and
HMISParticipation for every project, CEParticipation for CE. One seed gives one export, byte for
byte.
"""

from .columns import CSV_VERSION, columns, files
from .defects import DEFECTS, default_rates
from .generator import (
    GenerationResult,
    GeneratorOptions,
    OrganizationSpec,
    ProjectSpec,
    generate,
    manifest_path_for,
    parse_projects_json,
)

__all__ = [
    "CSV_VERSION",
    "DEFECTS",
    "GenerationResult",
    "GeneratorOptions",
    "OrganizationSpec",
    "ProjectSpec",
    "columns",
    "default_rates",
    "files",
    "generate",
    "manifest_path_for",
    "parse_projects_json",
]
