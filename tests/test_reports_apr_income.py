"""APR Q18, Q19a1, Q19a2, Q19b, Q20a, Q20b, Q21, Q27g, Q27h and Q27i from hand-built records,
every cell (HUD CoC APR/ESG CAPER HMIS Programming Specifications FY2026 V1.0, Q18-Q21, Q27g-i;
Glossary "Determining a Client's Relevant Annual Assessment").

Report range 2024-10-01 – 2025-09-30; every stay is in an entry/exit shelter; DOB 1980 (an adult
of 44) unless said; household type in brackets; "start"/"annual"/"exit" are the stage-1 record
on the start date, the stage-5 record in the anniversary window, the stage-3 record on the exit.

- a1: stayer from 2024-06-01, head of HA [without children]. Start: $500, all earned; SNAP;
  Medicaid. Annual 2025-06-03 (anniversary 2025-06-01): $800, $600 earned + SSI; benefits no;
  Medicaid and Medicare.
- a7: adult stayer who joined a1's household on 2025-01-15, before its anniversary: required
  to have an annual assessment, has none. Start: no income (the builder's default record).
- a2: stayer from 2024-05-01 (due): start no income, insurance no, benefits no; its only annual
  record in the window is deleted (DateDeleted), so it is missing.
- a3: stayer from 2025-03-01 (not yet due): start doesn't know (income, benefits, insurance).
- a4: leaver 2025-01-05 – 2025-06-30, disabling condition yes. Start and exit $300 SSDI; exit
  WIC and other TANF services.
- a5: leaver 2024-11-01 – 2025-02-01, disabling condition no. Start $1,000 earned; exit no
  income, insurance no.
- a6: leaver 2025-02-01 – 2025-04-01 without an exit record; start not collected (99).
- y1 (born 2004-05-17, 20) head of HY with y2 (born 2023, 2) [with children and adults]: leavers
  2025-01-10 – 2025-07-31, y1 disabled. y1 start $400 with Earned yes but no amount (all
  "other"); exit $600, all earned. y2 start: Medicaid and SCHIP.
- y3 (born 2009-01-01, 16) head of HC [only children]: leaver 2025-05-01 – 2025-08-01,
  disabling condition no; start no income; exit $200 child support.

Youth (Q27): y1 and y3 (12-24 in households with nobody over 24); y2 is under 12.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dataquality.testing import HmisBuilder
from reports.drilldown import drill_down
from reports.models import ReportFact
from tests.factories import ProjectFactory
from tests.reports_fixtures import assert_drill_downs, build_apr, nonzero

D = dt.date
START, END = D(2024, 10, 1), D(2025, 9, 30)
BORN_1980 = D(1980, 5, 17)
KEYS = ("Q18", "Q19a1", "Q19a2", "Q19b", "Q20a", "Q20b", "Q21", "Q27g", "Q27h", "Q27i")


@pytest.fixture
def apr(demo):
    build = HmisBuilder(demo.xx500, demo.agency_a, as_of=END)
    setup = ProjectFactory(agency=demo.agency_a, project_type=0)
    project = build.project(0, agency_project=setup)

    def stay(name, entry, dob=BORN_1980, **kw):
        client = build.client(personal_id=name, dob=dob)
        return build.enrollment(client=client, project=project, entry=entry, income=False, **kw)

    def record(enrollment, day, stage, answer=None, **kw):
        return build.income(enrollment, day, stage=stage, answer=answer, **kw)

    a1 = stay("a1", D(2024, 6, 1), household_id="HA")
    record(
        a1, a1.entry_date, 1, 1, total_monthly_income=500, earned=1, earned_amount=500,
        benefits_from_any_source=1, snap=1, insurance_from_any_source=1, medicaid=1,
    )  # fmt: skip
    record(
        a1, D(2025, 6, 3), 5, 1, total_monthly_income=800, earned=1, earned_amount=600, ssi=1,
        ssi_amount=200, benefits_from_any_source=0, insurance_from_any_source=1, medicaid=1,
        medicare=1,
    )  # fmt: skip
    a7 = stay("a7", D(2025, 1, 15), household_id="HA", relationship_to_hoh=3)
    record(a7, a7.entry_date, 1, 0)

    a2 = stay("a2", D(2024, 5, 1))
    record(a2, a2.entry_date, 1, 0, benefits_from_any_source=0, insurance_from_any_source=0)
    deleted = record(a2, D(2025, 5, 2), 5, 1, total_monthly_income=999, earned=1)
    deleted.date_deleted = deleted.date_updated
    deleted.save()

    a3 = stay("a3", D(2025, 3, 1))
    record(a3, a3.entry_date, 1, 8, benefits_from_any_source=8, insurance_from_any_source=8)

    a4 = stay("a4", D(2025, 1, 5), disabling_condition=1)
    record(a4, a4.entry_date, 1, 1, total_monthly_income=300, ssdi=1, ssdi_amount=300)
    build.exit(a4, D(2025, 6, 30), income=False)
    record(
        a4, D(2025, 6, 30), 3, 1, total_monthly_income=300, ssdi=1, ssdi_amount=300,
        benefits_from_any_source=1, wic=1, other_tanf=1,
    )  # fmt: skip

    a5 = stay("a5", D(2024, 11, 1))
    record(a5, a5.entry_date, 1, 1, total_monthly_income=1000, earned=1, earned_amount=1000)
    build.exit(a5, D(2025, 2, 1), income=False)
    record(a5, D(2025, 2, 1), 3, 0, insurance_from_any_source=0)

    a6 = stay("a6", D(2025, 2, 1))
    record(a6, a6.entry_date, 1, 99)
    build.exit(a6, D(2025, 4, 1), income=False)

    y1 = stay("y1", D(2025, 1, 10), dob=D(2004, 5, 17), household_id="HY", disabling_condition=1)
    record(y1, y1.entry_date, 1, 1, total_monthly_income=400, earned=1)
    build.exit(y1, D(2025, 7, 31), income=False)
    record(y1, D(2025, 7, 31), 3, 1, total_monthly_income=600, earned=1, earned_amount=600)
    y2 = stay("y2", D(2025, 1, 10), dob=D(2023, 1, 1), household_id="HY", relationship_to_hoh=2)
    record(y2, y2.entry_date, 1, None, insurance_from_any_source=1, medicaid=1, schip=1)
    build.exit(y2, D(2025, 7, 31), income=False)

    y3 = stay("y3", D(2025, 5, 1), dob=D(2009, 1, 1), household_id="HC")
    record(y3, y3.entry_date, 1, 0)
    build.exit(y3, D(2025, 8, 1), income=False)
    record(y3, D(2025, 8, 1), 3, 1, total_monthly_income=200, child_support=1)

    return build_apr(demo.xx500, [setup], START, END)


def test_derived_income_records(apr):
    """The derived columns: start/exit records dated on the start/exit, the annual assessment
    only for stayers required to have one, never a deleted record (Glossary)."""
    rows = {
        r.personal_id: r
        for r in ReportFact.objects.filter(version=apr, universe="apr").select_related(
            "income_start", "income_annual", "income_exit"
        )
    }
    assert rows["a1"].income_annual.total_monthly_income == 800
    assert rows["a2"].income_annual is None  # the one in the window is deleted
    assert rows["a3"].income_annual is None and rows["a7"].income_annual is None
    assert rows["a6"].income_exit is None and rows["a6"].income_start.income_from_any_source == 99
    assert rows["y1"].income_exit.earned_amount == 600
    assert rows["a1"].income_exit is None  # a stayer


def test_q18_income_categories(apr):
    """Spec Q18: adults (a1-a7, y1). B the start record; C stayers' annual assessment, C8 not
    yet required (a3), C9 required and missing (a2, a7); D the exit record, D7 no record (a6);
    row 12 total income known at start and at the annual assessment/exit."""
    assert nonzero(apr, "Q18") == {
        "B2": 2,  # a1 ($500 earned), a5 ($1,000 earned)
        "B3": 2,  # a4 ($300 SSDI), y1 (earned yes without an amount: all "other")
        "B5": 2,  # a2, a7
        "B6": 1,  # a3
        "B7": 1,  # a6: 99
        "B10": 8,
        "B11": 4,  # a1, a4, a5, y1
        "C4": 1,  # a1: $600 earned + $200 other
        "C8": 1,  # a3
        "C9": 2,  # a2 (deleted record), a7 (joined before the household's anniversary)
        "C10": 4,
        "C11": 1,
        "C12": 1,  # a1
        "D2": 1,  # y1: $600 earned
        "D3": 1,  # a4: $300 SSDI
        "D5": 1,  # a5
        "D7": 1,  # a6: no exit record
        "D10": 4,
        "D11": 2,
        "D12": 3,  # a4, a5, y1
    }
    assert set(apr.tables["Q18"]["grayed"]) == {"B8", "B9", "B12", "D8", "D9"}


def test_q19a1_income_change_stayers(apr):
    """Spec Q19a1: a1 only (a2/a7 have no assessment, a3 not due). Earned $500 -> $600
    (E, increased), other $0 -> $200 (F, gained), total $500 -> $800 (E); averages in $."""
    q = apr.tables["Q19a1"]
    assert nonzero(apr, "Q19a1") == {
        "E2": 1, "H2": 1, "I2": 1, "J2": 1.0, "E3": 100.0, "I3": 100.0,
        "F4": 1, "H4": 1, "I4": 1, "J4": 1.0, "F5": 200.0, "I5": 200.0,
        "E6": 1, "H6": 1, "I6": 1, "J6": 1.0, "E7": 300.0, "H7": 300.0, "I7": 300.0,
    }  # fmt: skip
    assert {"D3", "G3", "H3", "J3", "D7", "G7", "J7"} <= set(q["grayed"])
    assert "H7" not in q["grayed"]


def test_q19a2_income_change_leavers(apr):
    """Spec Q19a2: a4, a5, y1 (a6 has no exit record). a4 $300 SSDI both times (earned G,
    other D, total D); a5 $1,000 earned -> none (earned B, other G, total B); y1 $400 other ->
    $600 earned (earned F, other B, total E)."""
    assert nonzero(apr, "Q19a2") == {
        "B2": 1, "F2": 1, "G2": 1, "H2": 3, "I2": 1, "J2": 0.3333,
        "B3": -1000.0, "F3": 600.0, "I3": 600.0,
        "B4": 1, "D4": 1, "G4": 1, "H4": 3,
        "B5": -400.0,
        "B6": 1, "D6": 1, "E6": 1, "H6": 3, "I6": 1, "J6": 0.3333,
        "B7": -1000.0, "E7": 200.0, "H7": -266.67, "I7": 200.0,
    }  # fmt: skip


def test_q19b_and_q27i_disabling_condition_and_income_at_exit(apr):
    """Spec Q19b: adult leavers with disabling condition 0/1 and an exit record answering 0/1
    (a6 has none): a4 SSDI (AO, disabled), a5 no sources (AO), y1 earned (AC, disabled); E, I, M
    are B/D, F/H, J/L. Q27i: youth y1 (AC) and y3 (CO, child support, not disabled)."""
    assert nonzero(apr, "Q19b") == {
        "B5": 1, "D5": 1, "E5": 1.0,  # a4
        "C17": 1, "D17": 1,  # a5 (E17 = 0 / 1)
        "F2": 1, "H2": 1, "I2": 1.0,  # y1
        "B18": 1, "C18": 1, "D18": 2, "F18": 1, "H18": 1,
    }  # fmt: skip
    assert set(apr.tables["Q19b"]["grayed"]) == {"E18", "I18", "M18"}
    assert nonzero(apr, "Q27i") == {
        "F2": 1, "H2": 1, "I2": 1.0,  # y1
        "K14": 1, "L14": 1,  # y3 (M14 = 0 / 1)
        "F18": 1, "H18": 1, "K18": 1, "L18": 1,
    }  # fmt: skip
    assert [c[0] for c in apr.tables["Q27i"]["columns"]] == list("BCDEFGHIJKLMNOPQ")


def test_q20_non_cash_benefits(apr):
    """Spec Q20a/Q20b: adults. a1 SNAP at start and benefits "no" at the assessment, a4 WIC and
    other TANF at exit; Q20b row 5 holds no record/99/blank and stayers without an assessment
    (a2, a3, a7)."""
    assert nonzero(apr, "Q20a") == {"B2": 1, "D3": 1, "D6": 1}
    assert nonzero(apr, "Q20b") == {
        "B2": 1,  # a2
        "B3": 1,  # a1
        "B4": 1,  # a3
        "B5": 5,  # a4, a5, a6, a7, y1: BenefitsFromAnySource blank
        "B6": 8,
        "C2": 1,  # a1
        "C5": 3,  # a2, a3, a7
        "C6": 4,
        "D3": 1,  # a4
        "D5": 3,  # a5, a6 (no record), y1
        "D6": 4,
    }


def test_q21_health_insurance(apr):
    """Spec Q21: every client (10, children too). B: a1 and y2 Medicaid, y2 also SCHIP (two
    sources), a2 no, a3 doesn't know; C: a1 Medicaid and Medicare, a2/a7 required and missing
    (C14), a3 not yet required (C15); D: a5 no, the other leavers not collected."""
    assert nonzero(apr, "Q21") == {
        "B2": 2, "B4": 1, "B12": 1, "B13": 1, "B14": 6, "B16": 1, "B17": 1,
        "C2": 1, "C3": 1, "C14": 2, "C15": 1, "C17": 1,
        "D12": 1, "D14": 5,
    }  # fmt: skip
    assert set(apr.tables["Q21"]["grayed"]) == {"B15", "D15"}


def test_q27g_q27h_youth_income(apr):
    """Spec Q27g/Q27h (Q17/Q18 for youth adults and heads, y3 at 16 included): y1 earned yes
    at start (no amount: "other" in Q27h) and exit, y3 no income at start and child support
    at exit."""
    assert nonzero(apr, "Q27g") == {"B2": 1, "D2": 1, "D14": 1, "D17": 2}
    assert apr.tables["Q27g"]["grayed"] == ["B17"]
    assert nonzero(apr, "Q27h") == {
        "B3": 1, "B5": 1, "B10": 2, "B11": 1,
        "D2": 1, "D3": 1, "D10": 2, "D11": 2, "D12": 2,
    }  # fmt: skip


def test_every_drill_down_lists_the_clients_of_its_cell(apr, demo):
    cocadmin = demo.user("cocadmin")
    for key in KEYS:
        table = apr.tables[key]
        assert table["source"].startswith("HUD CoC APR")
    assert_drill_downs(apr, KEYS, cocadmin)
    nine = drill_down(apr, "Q18", "C9", cocadmin).rows
    assert {r["personal_id"] for r in nine} == {"a2", "a7"}
