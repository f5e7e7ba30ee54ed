"""The bulk path of the importer (PostgreSQL, issue 4 item 9) against the per-row path.

``hmis.importer.bulk`` COPYs a plain file as it is and checks its values in SQL, sending only
the rows with a non-canonical value through ``FileReader``'s per-row checks. These tests import
the same exports both ways and require the very same errors and warnings (file, line, column,
value, message) and the very same stored rows. On SQLite the bulk path does not apply (skipped).
The last test, on both databases, checks the HUD links that have no database constraint.
"""

from __future__ import annotations

import copy
import io

import pytest
from django.db import connection

from hmis.importer import bulk, import_export
from hmis.models import HUD_MODELS
from tests import hmis_builder as hb

pg_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the bulk path is PostgreSQL's"
)


@pytest.fixture
def private_media(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def paths(monkeypatch):
    """Names the files the bulk path loaded; ``paths.off()`` turns it off."""

    class Paths:
        bulk_files: set[str] = set()

        def off(self):
            monkeypatch.setattr(bulk, "applies", lambda sink, model: False)

    state = Paths()
    original = bulk.load

    def counting(*args, **kwargs):
        rows = original(*args, **kwargs)
        if rows is not None:
            state.bulk_files.add(args[0].file)
        return rows

    monkeypatch.setattr(bulk, "load", counting)
    return state


@pytest.fixture(params=["lookups", "expressions"])
def date_checks(request, monkeypatch):
    """The bulk path checks dates by lookup tables in large files and by string expressions in
    small ones (``bulk.LOOKUP_ROWS``): every file of a test goes one way, then the other."""
    monkeypatch.setattr(bulk, "LOOKUP_ROWS", 0 if request.param == "lookups" else 10**9)
    return request.param


def service(n: int, **values) -> dict:
    return {
        "ServicesID": f"S{n}",
        "EnrollmentID": "N1",
        "PersonalID": "P1",
        "DateProvided": "2025-01-06",
        "RecordType": "200",
        "TypeProvided": "200",
        **hb.AUDIT,
        **values,
    }


def income(n: int, **values) -> dict:
    return {
        "IncomeBenefitsID": f"I{n}",
        "EnrollmentID": "N1",
        "PersonalID": "P1",
        "InformationDate": "2025-01-05",
        "IncomeFromAnySource": "1",
        "TotalMonthlyIncome": "1250.50",
        "Earned": "1",
        "EarnedAmount": "1250.50",
        "DataCollectionStage": "1",
        **hb.AUDIT,
        **values,
    }


def import_both(paths, data: bytes):
    """(bulk run, per-row run) of the same zip, each into a source of its own."""
    bulk_run = import_export(io.BytesIO(data), "XX-500", "bulk")
    bulk_files = set(paths.bulk_files)
    paths.off()
    row_run = import_export(io.BytesIO(data), "XX-500", "rows")
    return bulk_run, row_run, bulk_files


def stored(source_key: str) -> dict:
    """Every HUD row of a source, by HUD id, without the keys that differ between sources."""
    out = {}
    for file, model in HUD_MODELS.items():
        fields = [f for _, f in model.HUD_COLUMNS if f != "ssn"]
        out[file] = sorted(
            model.objects.filter(source__key=source_key).values_list(*fields), key=str
        )
    return out


@pg_only
def test_defects_give_the_same_errors_and_warnings_both_ways(
    demo, private_media, paths, date_checks
):
    files = hb.valid_files()
    files["Services"] = [
        service(1),
        service(2, RecordType="999"),  # structural code: error
        service(3, TypeProvided="12345"),  # unknown code: warning
        service(4, DateProvided="2025-02-30"),  # not a real day
        service(5, DateProvided="2025-01-06 08:00:00"),  # time in a date: warning
        service(6, DateCreated="2025-01-05"),  # date in a timestamp: warning
        service(7, DateUpdated="2025-01-05 10:00"),  # no seconds: warning
        service(8, DateCreated="2025-01-05T10:00:00"),  # T: converted, no warning
        service(9, FAAmount="12.5"),
        service(10, FAAmount="0012.50"),
        service(11, FAAmount="1e3"),
        service(12, FAAmount="twelve"),
        service(13, FAAmount="99999999999"),
        service(14, OtherTypeProvided="   "),  # blank for str.isspace()
        service(15, OtherTypeProvided="\u00a0"),
        service(16, OtherTypeProvided="Ünïcode ✓"),
        service(17, UserID="U" * 40),  # longer than HUD's 32
        service(18, TypeProvided=" 200"),
        service(19, TypeProvided="+200"),
        service(20, SubTypeProvided="007"),
        service(21, EnrollmentID=""),  # blank key: error
        service(22, DateProvided="2024-02-29"),
        service(23, DateProvided="2023-02-29"),
        service(24, DateProvided="0000-01-01"),
        service(25, DateCreated="2025-13-05 10:00:00"),
        service(26, DateCreated="2025-01-05 24:00:00"),
        service(27, DateDeleted="2025-04-31 10:00:00"),
        service(28, DateProvided="2025-W02-1"),
        service(29, RecordType="0200"),
        *[service(n) for n in range(30, 60)],
    ]
    files["IncomeBenefits"] = [
        income(1),
        income(2, Earned="7"),
        income(3, EarnedAmount="-0.00"),
        income(4, InformationDate="01/31/2025"),
        income(5, TotalMonthlyIncome=""),
        income(6, DataCollectionStage=""),
    ]
    bulk_run, row_run, bulk_files = import_both(paths, hb.build(files))
    # (After the first file with errors, the next files' headers are not planned: both ways.)
    assert {"Enrollment", "IncomeBenefits", "Services"} <= bulk_files
    assert bulk_run.status == row_run.status == "failed"
    assert bulk_run.errors == row_run.errors
    assert bulk_run.warnings == row_run.warnings
    lines = {(e["file"], e["line"]) for e in bulk_run.errors}
    assert ("Services.csv", 3) in lines and ("Services.csv", 5) in lines  # RecordType, Feb 30
    assert ("Services.csv", 13) in lines  # "twelve"


@pg_only
def test_a_valid_export_with_warnings_stores_the_same_rows_both_ways(demo, private_media, paths):
    files = hb.valid_files()
    files["Services"] = [
        service(1),
        service(2, TypeProvided="12345"),
        service(3, DateProvided="2025-01-06 08:00:00"),
        service(4, DateCreated="2025-01-05"),
        service(5, DateUpdated="2025-01-05 10:00"),
        service(6, DateCreated="2025-01-05T10:00:00"),
        service(7, FAAmount="12.5"),
        service(8, FAAmount="0012.50"),
        service(9, FAAmount="-3"),
        service(10, OtherTypeProvided="   "),
        service(11, OtherTypeProvided="Ünïcode ✓"),
        service(12, TypeProvided="+200"),
        service(13, SubTypeProvided="007"),
        service(14, DateDeleted="2025-03-01 00:00:00"),
        *[service(n, DateProvided=f"2025-01-{n:02d}") for n in range(15, 29)],
    ]
    files["IncomeBenefits"] = [
        income(1, InformationDate="01/31/2025"),
        income(2, InformationDate="02/28/2025", EarnedAmount="7"),
    ]
    bulk_run, row_run, bulk_files = import_both(paths, hb.build(copy.deepcopy(files)))
    assert bulk_files == set(HUD_MODELS) - {"Client"}  # every plain file but Client.csv
    assert bulk_run.status == row_run.status == "succeeded", bulk_run.errors
    assert bulk_run.warnings == row_run.warnings
    assert any("MM/DD/YYYY" in w["message"] for w in bulk_run.warnings)
    assert stored("bulk") == stored("rows")
    assert len(stored("bulk")["Services"]) == 28


@pg_only
def test_values_at_the_edges_of_the_sql_checks_store_the_same_rows_both_ways(
    demo, private_media, paths, date_checks
):
    """The bulk path's checks look dates and times up in tables of 1900-2100 and test a string's
    first byte and its length in bytes: what falls outside (older or later days, a value that
    starts with a space or a letter outside ASCII, one within HUD's characters but over in bytes)
    must still import, through the per-row path, exactly as it would row by row."""
    files = hb.valid_files()
    files["Services"] = [
        service(1, DateProvided="1899-12-31"),
        service(2, DateProvided="1900-01-01"),
        service(3, DateProvided="2100-12-31"),
        service(4, DateProvided="2101-01-01"),
        service(5, DateProvided="9999-12-31"),
        service(6, DateProvided="2000-02-29"),
        service(7, DateCreated="2025-01-05 23:59:59"),
        service(8, DateCreated="2025-01-05 00:00:00"),
        service(9, DateCreated="1850-06-01 12:00:00"),
        service(10, DateDeleted="2150-06-01 12:00:00"),
        service(11, OtherTypeProvided=" leading space"),
        service(12, OtherTypeProvided="Ñandú"),
        service(13, OtherTypeProvided="é" * 50),  # 50 characters, 100 bytes: HUD allows 50
        service(14, OtherTypeProvided="~tilde"),
        service(15, OtherTypeProvided="!"),
        *[service(n) for n in range(16, 30)],
    ]
    bulk_run, row_run, bulk_files = import_both(paths, hb.build(copy.deepcopy(files)))
    assert "Services" in bulk_files
    assert bulk_run.status == row_run.status == "succeeded", bulk_run.errors
    assert bulk_run.warnings == row_run.warnings
    assert stored("bulk") == stored("rows")
    services = {row[0]: row for row in stored("bulk")["Services"]}
    assert str(services["S1"][3]) == "1899-12-31" and str(services["S5"][3]) == "9999-12-31"
    assert services["S13"][6] == "é" * 50


@pg_only
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'S9,N1,P1,2025-01-06,200,200,"a, quoted",,,,,,,{audit}\r\n', id="quotes"),
        pytest.param(b'S9,N1,P1,2025-01-06,200,200,ab"c,,,,,,,{audit}\r\n', id="quote-inside"),
        pytest.param(b'S9,N1,P1,2025-01-06,200,200,"x"y,,,,,,,{audit}\r\n', id="after-quote"),
        pytest.param(
            b'S9,N1,P1,2025-01-06,200,200,"two\r\nlines",,,,,,,{audit}\r\n', id="quoted-newline"
        ),
        pytest.param(
            b'"S9","N1","P1","2025-01-06","200","200","",,"","12.5",,,,{audit}\r\n'
            b'"S10","N1","P1","2025-01-06","200","",,,,,,,,{audit}\r\n',
            id="quoted-fields",
        ),
        pytest.param(
            b'S9,N1,P1,2025-01-06,200,200,"say ""hi""",,,,,,,{audit}\r\n', id="doubled-quotes"
        ),
        pytest.param(b"\r\n", id="blank-line"),
        pytest.param(b"S9,N1,P1,2025-01-06,200\r\n", id="short-row"),
        pytest.param(b"S9,N1,P1,2025-01-06,200,200,caf\xe9,,,,,,,{audit}\r\n", id="latin-1"),
        pytest.param(b"\\.\r\n", id="end-of-copy-marker"),
        pytest.param(b"S9,N1,P1,2025-01-06,200,200,a\rb,,,,,,,{audit}\r\n", id="lone-cr"),
    ],
)
def test_plain_files_go_the_bulk_way_the_others_row_by_row_with_the_same_outcome(
    demo, private_media, paths, body, request
):
    audit = ",".join(hb.AUDIT[c] for c in ("DateCreated", "DateUpdated", "UserID")) + ",,E1"
    text = hb.csv_text("Services", [service(1), service(2)]).encode()
    raw = (
        text
        + body.replace(b"{audit}", audit.encode())
        + hb.csv_text("Services", [service(3)]).encode().split(b"\r\n", 1)[1]
    )
    data = hb.build(hb.valid_files(), raw={"Services": raw})
    bulk_run, row_run, bulk_files = import_both(paths, data)
    # Whole quoted fields (doubled quotes inside, no line break) are plain: both parsers agree.
    plain = request.node.callspec.id in {"quotes", "quoted-fields", "doubled-quotes"}
    assert ("Services" in bulk_files) == plain
    assert bulk_run.status == row_run.status
    assert bulk_run.errors == row_run.errors
    assert bulk_run.warnings == row_run.warnings
    assert bulk_run.counts == row_run.counts
    if bulk_run.status == "succeeded":
        assert stored("bulk") == stored("rows")
    assert connection.vendor == "postgresql"


def orphans() -> dict[str, int]:
    """Rows whose key without a database constraint points at no row (must be none)."""
    found = {}
    for model in HUD_MODELS.values():
        for field in model._meta.concrete_fields:
            if field.is_relation and not field.db_constraint:
                parent = field.related_model._meta.db_table
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {model._meta.db_table} t WHERE t.{field.column} "
                        f"IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {parent} p "
                        f"WHERE p.id = t.{field.column})"
                    )
                    count = cursor.fetchone()[0]
                if count:
                    found[f"{model.__name__}.{field.name}"] = count
    return found


def test_links_without_constraints_stay_whole_through_a_replacing_import(demo, private_media):
    """HUD links have no FK constraint (issue 4 item 9): a full export that drops an
    enrollment removes its exit and services too, and nothing points at a missing row."""
    from hmis.models import Enrollment, Exit, Services

    first = import_export(io.BytesIO(hb.valid_export()), "XX-500", "main")
    assert first.status == "succeeded", first.errors
    files = hb.valid_files()
    files["Enrollment"] = [files["Enrollment"][0]]  # N2 leaves, with its exit
    files["Exit"] = []
    files["Services"] = []
    second = import_export(io.BytesIO(hb.build(files)), "XX-500", "main")
    assert second.status == "succeeded", second.errors
    assert list(Enrollment.objects.values_list("enrollment_id", flat=True)) == ["N1"]
    assert not Exit.objects.exists() and not Services.objects.exists()
    assert orphans() == {}


@pg_only
def test_the_eva_demo_export_gives_the_same_outcome_both_ways(demo, private_media, paths):
    """A real vendor export (quoted fields, non-ISO dates): same problems and rows both ways."""
    from tests.test_hmis_import import EVA

    if not EVA.exists():
        pytest.skip(f"{EVA} is not present (../shared/testdata)")
    bulk_run, row_run, bulk_files = import_both(paths, EVA.read_bytes())
    assert "Services" in bulk_files  # its quoting is one both parsers agree on
    assert bulk_run.status == row_run.status
    assert bulk_run.errors == row_run.errors
    assert bulk_run.warnings == row_run.warnings
    assert bulk_run.counts == row_run.counts
    if bulk_run.status == "succeeded":
        assert stored("bulk") == stored("rows")
