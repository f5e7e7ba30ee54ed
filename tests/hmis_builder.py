"""Builds HMIS CSV zips from Python dicts, so each bad-file test changes one thing.

``valid_export()`` is a small, valid FY2026 export of Agency A ("A", project "A-ES1"): two
clients, two enrollments (one household), one exit, income, disabilities, services, and every
other file with its header only. ``build(files)`` writes a zip; ``files`` maps a HUD file name to
a list of row dicts (HUD column -> text). Missing required values get a valid default.
"""

from __future__ import annotations

import copy
import csv
import io
import zipfile

from hmis.codes import CODE_LISTS
from hmis.spec import structure

EXPORT = {
    "ExportID": "E1",
    "SourceType": "1",
    "SourceID": "XX-500",
    "SourceName": "",
    "ExportDate": "2025-10-02 09:30:00",
    "ExportStartDate": "2024-10-01",
    "ExportEndDate": "2025-09-30",
    "SoftwareName": "Test HMIS",
    "SoftwareVersion": "1",
    "CSVVersion": "2026 v1.0",
    "ExportPeriodType": "3",
    "ExportDirective": "2",
    "HashStatus": "1",
    "ImplementationID": "TEST-1",
}

AUDIT = {
    "DateCreated": "2025-01-05 10:00:00",
    "DateUpdated": "2025-01-05 10:00:00",
    "UserID": "U1",
    "ExportID": "E1",
}


def valid_files() -> dict[str, list[dict]]:
    return {
        "Export": [dict(EXPORT)],
        "Organization": [
            {
                "OrganizationID": "A",
                "OrganizationName": "Harbor Light",
                "VictimServiceProvider": "0",
                **AUDIT,
            }
        ],
        "User": [
            {
                "UserID": "U1",
                "UserFirstName": "Una",
                "DateCreated": "2025-01-01 08:00:00",
                "DateUpdated": "2025-01-01 08:00:00",
                "ExportID": "E1",
            }
        ],
        "Project": [
            {
                "ProjectID": "A-ES1",
                "OrganizationID": "A",
                "ProjectName": "Harbor Light ES",
                "OperatingStartDate": "2020-01-01",
                "ContinuumProject": "1",
                "ProjectType": "0",
                **AUDIT,
            }
        ],
        "Client": [
            {
                "PersonalID": "P1",
                "FirstName": "Ana",
                "LastName": "Lopez",
                "NameDataQuality": "1",
                "SSN": "123456789",
                "SSNDataQuality": "1",
                "DOB": "1980-02-03",
                "DOBDataQuality": "1",
                "Sex": "0",
                "White": "1",
                "VeteranStatus": "0",
                **AUDIT,
            },
            {
                "PersonalID": "P2",
                "FirstName": "Ben",
                "LastName": "Lopez",
                "NameDataQuality": "1",
                "SSN": "987654321",
                "SSNDataQuality": "1",
                "DOB": "2015-06-07",
                "DOBDataQuality": "1",
                "Sex": "1",
                "White": "1",
                "VeteranStatus": "99",
                **AUDIT,
            },
        ],
        "Enrollment": [
            {
                "EnrollmentID": "N1",
                "PersonalID": "P1",
                "ProjectID": "A-ES1",
                "EntryDate": "2025-01-05",
                "HouseholdID": "H1",
                "RelationshipToHoH": "1",
                "EnrollmentCoC": "XX-500",
                "LivingSituation": "116",
                "DisablingCondition": "0",
                **AUDIT,
            },
            {
                "EnrollmentID": "N2",
                "PersonalID": "P2",
                "ProjectID": "A-ES1",
                "EntryDate": "2025-01-05",
                "HouseholdID": "H1",
                "RelationshipToHoH": "2",
                "EnrollmentCoC": "XX-500",
                "LivingSituation": "116",
                "DisablingCondition": "0",
                **AUDIT,
            },
        ],
        "Exit": [
            {
                "ExitID": "X1",
                "EnrollmentID": "N2",
                "PersonalID": "P2",
                "ExitDate": "2025-03-01",
                "Destination": "410",
                **AUDIT,
            }
        ],
        "IncomeBenefits": [
            {
                "IncomeBenefitsID": "I1",
                "EnrollmentID": "N1",
                "PersonalID": "P1",
                "InformationDate": "2025-01-05",
                "IncomeFromAnySource": "1",
                "TotalMonthlyIncome": "1250.50",
                "Earned": "1",
                "EarnedAmount": "1250.50",
                "DataCollectionStage": "1",
                **AUDIT,
            }
        ],
        "Disabilities": [
            {
                "DisabilitiesID": "D1",
                "EnrollmentID": "N1",
                "PersonalID": "P1",
                "InformationDate": "2025-01-05",
                "DisabilityType": "9",
                "DisabilityResponse": "0",
                "DataCollectionStage": "1",
                **AUDIT,
            }
        ],
        "Services": [
            {
                "ServicesID": "S1",
                "EnrollmentID": "N1",
                "PersonalID": "P1",
                "DateProvided": "2025-01-06",
                "RecordType": "200",
                "TypeProvided": "200",
                **AUDIT,
            }
        ],
    }


def default(column) -> str:
    if not column.required:
        return ""
    if column.type == "integer":
        codes = CODE_LISTS.get(column.name)
        return str(min(codes)) if codes else "1"
    if column.type == "date":
        return "2025-01-05"
    if column.type == "datetime":
        return "2025-01-05 10:00:00"
    if column.type == "money":
        return "0.00"
    return "x"


def csv_text(file: str, rows: list[dict], version: str = "2026", header=None) -> str:
    columns = structure(version)[file]
    names = header or [c.name for c in columns]
    by_name = {c.name: c for c in columns}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(n, default(by_name[n]) if n in by_name else "") for n in names])
    return out.getvalue()


def build(
    files: dict[str, list[dict]] | None = None,
    *,
    version: str = "2026",
    raw: dict[str, bytes] | None = None,
    omit: tuple[str, ...] = (),
    headers: dict[str, list[str]] | None = None,
) -> bytes:
    """A zip of every HUD file; ``raw`` replaces a file's bytes, ``omit`` leaves files out."""
    files = files if files is not None else valid_files()
    raw = raw or {}
    headers = headers or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in structure(version):
            if file in omit:
                continue
            name = f"{file}.csv"
            if file in raw:
                archive.writestr(name, raw[file])
            else:
                text = csv_text(file, files.get(file, []), version, headers.get(file))
                archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def valid_export() -> bytes:
    return build(valid_files())


def changed(**changes) -> dict[str, list[dict]]:
    """``changed(Client={0: {"DOB": "x"}})``: the valid files with row values replaced."""
    files = copy.deepcopy(valid_files())
    for file, rows in changes.items():
        for index, values in rows.items():
            files[file][index].update(values)
    return files
