"""APR Q6a–Q6d and Q6f from hand-built records, every cell (HUD CoC APR/ESG CAPER HMIS
Programming Specifications FY2026 V1.0, Q6a–Q6f; Reporting Glossary "HMIS Data Quality Report"
Q2–Q7; REFERENCE.md §3).

Report range 2024-10-01 – 2025-09-30. Every client is clean (``dataquality.testing``) but for one
defect, so each expected value is the list of clients named in the comment beside it:

| client | project | defect |
| k1 | ES-EE | none |
| k2 | ES-EE | NameDataQuality 8 (Q6a B2) |
| k3 | ES-EE | first name blank (Q6a C2) |
| k4 | ES-EE | SSN 000456789 (Q6a D3) |
| k5 | ES-EE | no DOB, quality 99 (Q6a C4; age unknown) |
| k6 | ES-EE | RaceNone 8, no race (Q6a B5) |
| k7 | ES-EE | VeteranStatus 99 (Q6b C2) |
| k8 | ES-EE | DisablingCondition 8 (Q6b B6) |
| k9, k10 | ES-EE | one household, both heads (Q6b D4, both members) |
| k11 | ES-EE | EnrollmentCoC blank (Q6b C5) |
| k12 | ES-EE | no income record at start (Q6c C3) |
| k13 | ES-EE | left, destination 30 (Q6c C2) |
| k14 | ES-EE | 400 days in, no annual assessment (Q6c C4) |
| k15 | ES-EE | DateToStreetESSH blank (Q6d E2) |
| k16 | TH | from a hospital (215), LengthOfStay 99 (Q6d C3) |
| k17 | SO | engaged, 200 days in, no contact (Q6f C2) |
| k18 | SO | not engaged, NameDataQuality 8: outside the DQ universe (Q5a B) |
| k19 | ES-NbN | last bed night 150 days ago (Q6f C3) |
| k20 | ES-NbN | bed night 10 days ago |
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest

from dataquality.testing import HmisBuilder
from hmis import models as hmis
from reports.apr.dq import DQ_COLUMNS
from reports.builder import build_version
from reports.drilldown import drill_down
from reports.exports import sage_zip
from reports.models import Report
from tests.factories import ProjectFactory
from tests.reports_fixtures import build_apr

START, END = dt.date(2024, 10, 1), dt.date(2025, 9, 30)


def days_ago(n: int) -> dt.date:
    return END - dt.timedelta(days=n)


@pytest.fixture
def apr(demo):
    build = HmisBuilder(demo.xx500, demo.agency_a, as_of=END)
    setups = {
        ptype: ProjectFactory(agency=demo.agency_a, project_type=ptype) for ptype in (0, 1, 2, 4)
    }

    def project(ptype):
        return build.project(ptype, agency_project=setups[ptype])

    def stay(name, ptype=0, client=None, entry=None, **kw):
        client = client or build.client(personal_id=name)
        return build.enrollment(
            client=client, project=project(ptype), entry=entry or days_ago(30), **kw
        )

    stay("k1")
    stay("k2", client=build.client(personal_id="k2", name_data_quality=8))
    stay("k3", client=build.client(personal_id="k3", first_name=""))
    stay("k4", client=build.client(personal_id="k4", ssn="000456789"))
    stay("k5", client=build.client(personal_id="k5", dob=None, dob_data_quality=99))
    stay("k6", client=build.client(personal_id="k6", white=0, race_none=8))
    stay("k7", client=build.client(personal_id="k7", veteran_status=99))
    stay("k8", disabling_condition=8)
    stay("k9", household_id="HX")
    stay("k10", household_id="HX")
    stay("k11", enrollment_coc="")
    stay("k12", income=False)
    build.exit(stay("k13"), destination=30)
    stay("k14", entry=days_ago(400))
    stay("k15", date_to_street_essh=None)
    stay("k16", ptype=2, living_situation=215, length_of_stay=99)
    stay("k17", ptype=4, entry=days_ago(200))
    stay(
        "k18",
        ptype=4,
        client=build.client(personal_id="k18", name_data_quality=8),
        date_of_engagement=None,
    )
    for name, night in (("k19", days_ago(150)), ("k20", days_ago(10))):
        enrollment = stay(name, ptype=1, entry=days_ago(200))
        hmis.Services.objects.create(
            source=build.source,
            coc=build.coc,
            services_id=f"S{name}",
            hud_enrollment_id=enrollment.enrollment_id,
            personal_id=name,
            date_provided=night,
            record_type=200,
            type_provided=200,
            enrollment=enrollment,
            agency=demo.agency_a,
            date_created=enrollment.date_created,
            date_updated=enrollment.date_updated,
        )
    return build_apr(demo.xx500, setups.values(), START, END)


def test_q5a_counts_the_dq_universe(apr):
    """Spec Q5a: B leaves out the street outreach client without an engagement date (k18)."""
    cells = apr.tables["Q5a"]["cells"]
    assert (cells["B2"], cells["C2"]) == (19, 20)


def test_q6a_personally_identifiable_information(apr):
    """Spec Q6a (FY2026: no gender row), Glossary DQ Q2; F = E ÷ Q5a B2 (19)."""
    assert apr.tables["Q6a"]["cells"] == {
        "B2": 1, "C2": 1, "D2": 0, "E2": 2, "F2": 0.1053,  # k2 | k3
        "B3": 0, "C3": 0, "D3": 1, "E3": 1, "F3": 0.0526,  # k4
        "B4": 0, "C4": 1, "D4": 0, "E4": 1, "F4": 0.0526,  # k5
        "B5": 1, "C5": 0, "E5": 1, "F5": 0.0526,  # k6 (D5 grayed)
        "E6": 5, "F6": 0.2632,  # k2–k6; k18 (not engaged) is outside
    }  # fmt: skip
    assert set(apr.tables["Q6a"]["grayed"]) == {"D5", "B6", "C6", "D6"}


def test_q6b_universal_data_elements(apr):
    """Spec Q6b, Glossary DQ Q3: veteran rate over adults + children (Q5a B3 + B4 = 18, k5's
    age is unknown); Enrollment CoC over heads (Q5a B15 + B16 = 19); the rest over B2."""
    assert apr.tables["Q6b"]["cells"] == {
        "B2": 0, "C2": 1, "D2": 0, "E2": 1, "F2": 0.0556,  # k7
        "D3": 0, "E3": 0, "F3": 0.0,
        "C4": 0, "D4": 2, "E4": 2, "F4": 0.1053,  # k9, k10
        "C5": 1, "D5": 0, "E5": 1, "F5": 0.0526,  # k11
        "B6": 1, "C6": 0, "D6": 0, "E6": 1, "F6": 0.0526,  # k8
    }  # fmt: skip


def test_q6c_income_and_housing(apr):
    """Spec Q6c, Glossary DQ Q4: destination over leavers (k13), income at start over adults
    and heads (19), at annual assessment over those due (k14), at exit over adult leavers."""
    assert apr.tables["Q6c"]["cells"] == {
        "B2": 0, "C2": 1, "E2": 1, "F2": 1.0,  # k13 (D2 grayed)
        "B3": 0, "C3": 1, "D3": 0, "E3": 1, "F3": 0.0526,  # k12
        "B4": 0, "C4": 1, "D4": 0, "E4": 1, "F4": 1.0,  # k14
        "B5": 0, "C5": 0, "D5": 0, "E5": 0, "F5": 0.0,  # k13 answered at exit
    }  # fmt: skip


def test_q6d_chronic_homelessness(apr):
    """Spec Q6d, Glossary DQ Q5: row 2 ES/NbN/SO (15 + 2 + k17 = 18), row 3 TH (k16)."""
    cells = apr.tables["Q6d"]["cells"]
    assert cells == {
        "B2": 18, "E2": 1, "F2": 0, "G2": 0, "H2": 0.0556,  # k15
        "B3": 1, "C3": 1, "D3": 0, "E3": 0, "F3": 0, "G3": 0, "H3": 1.0,  # k16
        **{f"{c}{n}": 0 for n in (4, 5, 6) for c in "BCDEFG"},
        "H4": 0.0, "H5": 0.0, "H6": 0.0,
        "B7": 19, "H7": 0.1053,
    }  # fmt: skip


def test_q6f_inactive_records(apr):
    """Spec Q6f (FY2026 rows), Glossary DQ Q7, 90 days before 2025-09-30."""
    assert apr.tables["Q6f"]["cells"] == {"B2": 1, "C2": 1, "D2": 1.0, "B3": 2, "C3": 1, "D3": 0.5}


def test_every_q6_drill_down_lists_the_clients_of_its_cell(apr, demo):
    cocadmin = demo.user("cocadmin")
    for key in ("Q6a", "Q6b", "Q6c", "Q6d", "Q6f"):
        table = apr.tables[key]
        for cell in table["drillable"]:
            drill = drill_down(apr, key, cell, cocadmin)
            assert len(drill.rows) == table["cells"][cell], (key, cell)
    names = {r["personal_id"] for r in drill_down(apr, "Q6b", "D4", cocadmin).rows}
    assert names == {"k9", "k10"}


def test_the_sage_csv_keeps_the_q6a_shell_and_writes_rates_as_decimals(apr):
    """Spec "Exporting Report Results to CSV" rules 4, 5 and 9: every cell by position, grayed
    cells blank, rates as decimals with four places (not percentages)."""
    archive = zipfile.ZipFile(io.BytesIO(sage_zip(apr)))
    assert {"Q6a.csv", "Q6b.csv", "Q6c.csv", "Q6d.csv", "Q6f.csv"} <= set(archive.namelist())
    rows = list(csv.reader(io.StringIO(archive.read("Q6a.csv").decode())))
    assert rows[0] == ["", *[label for _l, label in DQ_COLUMNS]]
    assert rows[2] == ["Social Security Number (3.02)", "0", "0", "1", "1", "0.0526"]
    assert rows[5] == ["Overall Score", "", "", "", "5", "0.2632"]


def test_the_dq_report_is_the_apr_q5a_and_q6_tables_under_hud_dq_numbers(apr, demo):
    """Glossary "HMIS Data Quality Report": DQ Q1 = APR Q5a, Q2–Q7 = Q6a–Q6f."""
    report = Report.objects.create(
        coc=demo.xx500, kind="dq", start=START, end=END, status=Report.Status.DRAFT
    )
    report.projects.set(apr.report.projects.all())
    dq = build_version(report)
    pairs = {"Q1": "Q5a", "Q2": "Q6a", "Q3": "Q6b", "Q4": "Q6c", "Q5": "Q6d", "Q6": "Q6e"}
    pairs["Q7"] = "Q6f"
    assert list(dq.tables) == list(pairs)
    for dq_key, apr_key in pairs.items():
        assert dq.tables[dq_key]["cells"] == apr.tables[apr_key]["cells"], dq_key
    rows = drill_down(dq, "Q3", "D4", demo.user("cocadmin")).rows
    assert {r["personal_id"] for r in rows} == {"k9", "k10"}
