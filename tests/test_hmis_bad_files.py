"""The corpus of bad exports: each one fails with its exact error, and nothing changes."""

from __future__ import annotations

import io
import zipfile

import pytest

from hmis.importer import import_export
from tests import hmis_builder as hb
from tests.test_hmis_import import snapshot


@pytest.fixture
def loaded(demo, tmp_path, settings):
    """A CoC that already holds a valid import of source "main"."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    assert import_export(io.BytesIO(hb.valid_export()), "XX-500", "main").status == "succeeded"
    return snapshot()


def fails_with(data: bytes, loaded) -> list[tuple]:
    run = import_export(io.BytesIO(data), "XX-500", "main")
    assert run.status == "failed"
    assert snapshot() == loaded, "a failed import changed data"
    return [(e["file"], e["line"], e["column"], e["value"], e["message"]) for e in run.errors]


def test_a_missing_file(loaded):
    assert fails_with(hb.build(omit=("Exit",)), loaded) == [
        (
            "Exit.csv",
            None,
            "",
            "",
            "Exit.csv is missing: an HMIS CSV export holds all 24 files, with only a header "
            "row when a file has no records.",
        )
    ]


def test_a_missing_column(loaded):
    header = [c for c in hb.csv_text("Client", []).strip().split(",") if c != "VeteranStatus"]
    assert fails_with(hb.build(headers={"Client": header}), loaded) == [
        (
            "Client.csv",
            1,
            "VeteranStatus",
            "",
            "Column 'VeteranStatus' is missing from Client.csv (FY2026 format).",
        )
    ]


def test_an_extra_column(loaded):
    header = [*hb.csv_text("Exit", []).strip().split(","), "Favourite"]
    assert fails_with(hb.build(headers={"Exit": header}), loaded) == [
        (
            "Exit.csv",
            1,
            "Favourite",
            "Favourite",
            "Unexpected column 'Favourite' (position 45): it is not in Exit.csv of the FY2026 "
            "HMIS CSV format.",
        )
    ]


def test_misordered_columns_are_a_warning_not_an_error(loaded):
    header = hb.csv_text("Client", []).strip().split(",")
    header.remove("Sex")
    header.append("Sex")
    run = import_export(io.BytesIO(hb.build(headers={"Client": header})), "XX-500", "main")
    assert run.status == "succeeded", run.errors
    assert [(w["file"], w["column"], w["message"]) for w in run.warnings] == [
        ("Client.csv", "Sex", "Columns out of HUD's order (Sex); matched by name.")
    ]


def test_headers_match_case_insensitively_and_hud_spelling_variants(loaded):
    text = hb.csv_text("Disabilities", hb.valid_files()["Disabilities"])
    head, rest = text.split("\r\n", 1)
    head = head.lower().replace("tcellcount,", "TcellCount,")
    data = hb.build(raw={"Disabilities": f"{head}\r\n{rest}".encode()})
    run = import_export(io.BytesIO(data), "XX-500", "main")
    assert run.status == "succeeded", run.errors


def test_a_wrong_csv_version(loaded):
    files = hb.changed(Export={0: {"CSVVersion": "2022 v1.3"}})
    assert fails_with(hb.build(files), loaded) == [
        (
            "Export.csv",
            2,
            "CSVVersion",
            "2022 v1.3",
            "Unsupported CSVVersion '2022 v1.3': this system reads FY2026 (\"2026 v1.x\") and "
            'FY2024 ("2024 v1.x") HMIS CSV exports. Export again in the FY2026 format.',
        )
    ]


def test_the_fy2022_apr_sample_is_refused_as_an_unsupported_version(loaded, tmp_path):
    from django.conf import settings as dj

    folder = dj.BASE_DIR.parent / "shared" / "testdata" / "hmis-csv" / "apr-sample-fy2022"
    if not folder.exists():
        pytest.skip(f"the FY2022 APR sample is not at {folder}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    errors = fails_with(buffer.getvalue(), loaded)
    assert any("Unsupported CSVVersion" in e[4] or "is missing" in e[4] for e in errors), errors


def test_a_bad_date(loaded):
    files = hb.changed(Enrollment={0: {"EntryDate": "2025-02-30"}})
    assert fails_with(hb.build(files), loaded) == [
        ("Enrollment.csv", 2, "EntryDate", "2025-02-30", "Not a real date (yyyy-mm-dd).")
    ]


def test_a_date_that_reads_two_ways_is_an_error(loaded):
    files = hb.changed(Exit={0: {"ExitDate": "03-04-2025"}})
    assert fails_with(hb.build(files), loaded) == [
        (
            "Exit.csv",
            2,
            "ExitDate",
            "03-04-2025",
            "1 value(s) of ExitDate are not yyyy-mm-dd and can be read more than one way: "
            "'03-04-2025' could be 2025-04-03 (DD-MM-YYYY), 2025-03-04 (MM-DD-YYYY). "
            "Export dates as yyyy-mm-dd.",
        )
    ]


def test_a_non_iso_date_with_one_reading_is_a_warning(loaded):
    files = hb.changed(Exit={0: {"ExitDate": "03/25/2025"}})
    run = import_export(io.BytesIO(hb.build(files)), "XX-500", "main")
    assert run.status == "succeeded", run.errors
    assert run.warnings[0]["message"].startswith(
        "1 value(s) of ExitDate are not yyyy-mm-dd; read as MM/DD/YYYY"
    )
    from hmis.models import Exit

    assert Exit.objects.get().exit_date.isoformat() == "2025-03-25"


def test_a_bad_code(loaded):
    files = hb.changed(Project={0: {"ProjectType": "5"}})
    assert fails_with(hb.build(files), loaded) == [
        (
            "Project.csv",
            2,
            "ProjectType",
            "5",
            "5 is not a code of HUD's list for ProjectType "
            "(allowed: 0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14).",
        )
    ]


def test_a_blank_required_value(loaded):
    files = hb.changed(Enrollment={1: {"EntryDate": ""}})
    assert fails_with(hb.build(files), loaded) == [
        ("Enrollment.csv", 3, "EntryDate", "", "EntryDate is required and is blank.")
    ]


def test_a_duplicate_id(loaded):
    files = hb.valid_files()
    files["Client"].append(dict(files["Client"][0]))
    assert fails_with(hb.build(files), loaded) == [
        (
            "Client.csv",
            4,
            "PersonalID",
            "P1",
            "Duplicate PersonalID 'P1': already on line 2. HUD ids are unique within an export.",
        )
    ]


def test_an_orphan_enrollment(loaded):
    files = hb.changed(Enrollment={0: {"PersonalID": "NOBODY"}})
    files["IncomeBenefits"][0]["PersonalID"] = "NOBODY"
    files["Disabilities"][0]["PersonalID"] = "NOBODY"
    files["Services"][0]["PersonalID"] = "NOBODY"
    assert fails_with(hb.build(files), loaded) == [
        ("Enrollment.csv", 2, "PersonalID", "NOBODY", "PersonalID 'NOBODY' is not in Client.csv.")
    ]


def test_an_orphan_exit(loaded):
    files = hb.changed(Exit={0: {"EnrollmentID": "N404"}})
    assert fails_with(hb.build(files), loaded) == [
        ("Exit.csv", 2, "EnrollmentID", "N404", "EnrollmentID 'N404' is not in Enrollment.csv.")
    ]


def test_non_utf8_bytes(loaded):
    text = hb.csv_text("Organization", hb.valid_files()["Organization"])
    data = text.replace("Harbor Light", "Harbor L\xedght").encode("latin-1")
    assert fails_with(hb.build(raw={"Organization": data}), loaded) == [
        (
            "Organization.csv",
            2,
            "",
            "ed",
            "Byte ed at position 11 is not UTF-8: export the file as UTF-8 (HUD's CSV "
            "specifications require it).",
        )
    ]


def test_an_empty_file_in_the_zip(loaded):
    assert fails_with(hb.build(raw={"Funder": b""}), loaded) == [
        (
            "Funder.csv",
            1,
            "",
            "",
            "Funder.csv is empty: every file of the export needs at least its header row.",
        )
    ]


def test_an_empty_upload(loaded):
    assert fails_with(b"", loaded) == [
        ("", None, "", "0 bytes", "The upload is empty: send the export's zip file.")
    ]


def test_a_file_that_is_not_a_zip(loaded):
    assert fails_with(b"PersonalID,FirstName\r\n1,Ana\r\n", loaded) == [
        (
            "",
            None,
            "",
            "b'Personal'",
            "The upload is not a zip archive: upload the HMIS CSV export as one .zip file.",
        )
    ]


def test_a_zip_with_path_traversal_names(loaded):
    buffer = io.BytesIO(hb.valid_export())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("../../etc/cron.d/evil", b"* * * * * root true\n")
    assert fails_with(buffer.getvalue(), loaded) == [
        (
            "../../etc/cron.d/evil",
            None,
            "",
            "../../etc/cron.d/evil",
            "The zip holds a path that leaves the archive (absolute or with '..'): refused for "
            "safety. Export again without folders.",
        )
    ]


def test_an_oversized_upload(loaded, settings):
    settings.HMIS_MAX_UPLOAD_BYTES = 1000
    data = hb.valid_export()
    size = f"{len(data) / 1024:.1f} KiB"
    assert fails_with(data, loaded) == [
        (
            "",
            None,
            "",
            size,
            f"The upload is {size}; the limit is 1000 bytes. Split the export by date range or "
            "ask the administrator to raise the limit.",
        )
    ]


def test_a_zip_bomb(loaded, settings):
    buffer = io.BytesIO(hb.valid_export())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("padding.bin", b"\0" * (40 * 1024 * 1024))
    errors = fails_with(buffer.getvalue(), loaded)
    assert [(e[0], e[4][:40]) for e in errors] == [
        ("padding.bin", "The entry expands 1029× (limit 200×): re")
    ]
