"""APR tables from hand-built records (HUD CoC APR programming specifications FY2026 V1.0)."""

import csv
import io
import zipfile

import pytest

from reports.builder import build_version
from reports.drilldown import drill_down
from reports.exports import sage_zip, table_csv
from reports.models import Report
from tests.reports_fixtures import APR_END, APR_START, build_scenario


@pytest.fixture
def apr(demo):
    scenario = build_scenario(demo)
    report = Report.objects.create(
        coc=demo.xx500, kind="apr", start=APR_START, end=APR_END, status=Report.Status.DRAFT
    )
    report.projects.set(scenario.setup_projects("A-ES1", "B-TH", "B-PSH"))
    return build_version(report)


def test_q5a_report_validations_match_the_spec(apr):
    """Spec Q5a / Glossary DQ Q1 (REFERENCE §4.1): ages at the later of start and report start."""
    cells = apr.tables["Q5a"]["cells"]
    expected = {
        2: 7, 3: 5, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2, 9: 5, 10: 3,
        11: 1, 12: 0, 13: 1, 14: 0, 15: 5, 16: 1, 17: 0,
    }  # fmt: skip
    assert {n: cells[f"C{n}"] for n in expected} == expected
    assert {n: cells[f"B{n}"] for n in expected} == expected  # no street outreach in scope


def test_q7a_persons_served_by_household_type(apr):
    """Spec Q7a (REFERENCE §4.2, §4.5): E2 and C3 grayed; row 7 PSH residents who moved in."""
    cells = apr.tables["Q7a"]["cells"]
    assert (cells["B2"], cells["C2"], cells["D2"]) == (5, 4, 1)
    assert (cells["B3"], cells["D3"]) == (1, 1)
    assert (cells["B5"], cells["F5"], cells["B4"]) == (1, 1, 0)
    assert (cells["B6"], cells["F6"], cells["B7"], cells["F7"]) == (7, 1, 1, 1)
    assert "E2" not in cells and "C3" not in cells


def test_q8a_counts_heads_of_household(apr):
    cells = apr.tables["Q8a"]["cells"]
    assert (cells["B2"], cells["C2"], cells["D2"], cells["F2"], cells["B3"]) == (6, 4, 1, 1, 1)


def test_q11_age_bands(apr):
    cells = apr.tables["Q11"]["cells"]
    # c3 is 5 → row 3 (5-12); c4 22 → row 5; c2 30 → row 6; c1 40 → row 7; c5 50 → row 8;
    # c6 60 → row 9; c7 unknown, not collected → row 12.
    assert [cells[f"B{n}"] for n in range(2, 14)] == [0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 7]


def test_q4a_totals_equal_q5a(apr):
    """Spec Q4a instructions 8–9: P sums to Q5a C2; Q sums to C15 + C16."""
    q4a, q5a = apr.tables["Q4a"]["cells"], apr.tables["Q5a"]["cells"]
    rows = [n for n, _ in apr.tables["Q4a"]["rows"]]
    assert sum(q4a[f"P{n}"] for n in rows) == q5a["C2"]
    assert sum(q4a[f"Q{n}"] for n in rows) == q5a["C15"] + q5a["C16"]


def test_q6e_timeliness_buckets(apr):
    """Spec Q6e: records created 2026-02-01: starts lag 17–92 days (11+); the exits of
    2026-01-28 and 2026-01-29 lag 4 and 3 days."""
    cells = apr.tables["Q6e"]["cells"]
    assert cells["B7"] == 7
    assert (cells["C4"], cells["C5"], cells["C7"]) == (1, 1, 0)
    assert sum(cells[f"B{n}"] for n in range(2, 7)) == 0


def test_every_apr_drill_down_has_as_many_rows_as_its_cell(apr, demo):
    cocadmin = demo.user("cocadmin")
    for key, table in apr.tables.items():
        for cell in table["drillable"]:
            drill = drill_down(apr, key, cell, cocadmin)
            assert len(drill.rows) == table["cells"][cell], (key, cell)


def test_the_sage_zip_has_one_csv_per_question_matching_the_tables(apr):
    """Spec "Exporting Report Results to CSV" rules 2, 4, 5: Q<n>.csv, cells by position."""
    archive = zipfile.ZipFile(io.BytesIO(sage_zip(apr)))
    assert sorted(archive.namelist()) == sorted(f"{k}.csv" for k in apr.tables)
    rows = list(csv.reader(io.StringIO(archive.read("Q5a.csv").decode())))
    assert rows[0] == ["", "Count of Clients for DQ", "Count of Clients"]
    for line, (number, _label) in zip(rows[1:], apr.tables["Q5a"]["rows"], strict=True):
        assert int(line[2]) == apr.tables["Q5a"]["cells"][f"C{number}"]


def test_the_sage_zip_holds_all_67_tables_of_the_fy2026_apr_in_hud_order(apr):
    """Spec "Exporting Report Results to CSV" rule 3: "The APR consists of 67 separate tables
    for a total of 67 CSV output files ... all output files are required even if the number of
    clients reported is zero" (Table of Questions: Q4a through Q27m, FY2026 V1.0)."""
    from reports.apr import ORDER

    assert len(ORDER) == len(set(ORDER)) == 67
    assert sorted(apr.tables) == sorted(ORDER)  # a JSON object: PostgreSQL keeps no key order
    archive = zipfile.ZipFile(io.BytesIO(sage_zip(apr)))
    assert sorted(archive.namelist()) == sorted(f"{key}.csv" for key in ORDER)
    for key in ORDER:  # every file parses and has the shell's rows (header row + rows 2..)
        rows = list(csv.reader(io.StringIO(archive.read(f"{key}.csv").decode())))
        assert len(rows) == 1 + len(apr.tables[key]["rows"]), key


def test_pages_exports_and_the_api_show_the_tables_in_hud_order(apr, web_as, api_as):
    """Q4a ... Q27m as the spec's Table of Questions lists them, on every database (PostgreSQL's
    jsonb sorts an object's keys by length, then bytes: Q11 before Q4a, Q13a1 after Q27j)."""
    from openpyxl import load_workbook

    from reports.apr import ORDER
    from reports.exports import version_xlsx

    assert [key for key, _table in apr.ordered_tables()] == ORDER
    html = web_as("cocadmin").get(f"/reports/{apr.report.pk}/").content.decode()
    positions = [html.index(f'id="table-{key}"') for key in ORDER]
    assert positions == sorted(positions)
    assert load_workbook(io.BytesIO(version_xlsx(apr))).sheetnames == ORDER
    api = api_as("cocadmin").get(f"/api/v1/reports/{apr.report.pk}/").json()
    assert [key for key in api["tables"] if key.startswith("Q")] == ORDER


def test_exported_cells_cannot_start_a_formula():
    table = {"columns": [["B", "=HYPERLINK()"]], "rows": [[2, "+1"]], "cells": {"B2": "@x"}}
    text = table_csv(table)
    assert "'=HYPERLINK()" in text and "'+1" in text and "'@x" in text
