"""APR Q22b, Q22c, Q22e, Q22f, Q22g, Q27e, Q27j, Q27k and Q27l from hand-built records, every
cell (HUD CoC APR/ESG CAPER HMIS Programming Specifications FY2026 V1.0; spec sections cited per
test; "Client Types" for youth, Glossary "Handling Housing Move-In Dates").

Report range 2024-10-01 – 2025-09-30; stayers' length runs to 2025-10-01. DOB 1980 and White
unless said; "S" is 3.917.3 DateToStreetESSH; household type in brackets.

- a1, a2, a3 [with children]: PSH household. a1 head from 2025-01-10, moved in 2025-03-01, S
  2024-12-01, Black. a2 child (2017) from 2025-01-10, no S of its own, Black and Hispanic. a3
  child (2015) joined 2025-05-01, after the move-in.
- b1: RRH from 2024-08-01, moved in 2024-09-15 (before the range), S 2023-09-01.
- c1: RRH from 2025-02-01, exited 2025-06-30 without moving in; S 2025-01-12; Asian and White.
- d1: PSH from 2025-06-01, move-in 2025-10-15 (after the range); no S.
- e1: ES from 2025-03-01 to 2025-04-15, S 2025-02-20.
- f1: ES from 2025-05-01, S 2025-06-01 (after the start).
- n1: ES night-by-night from 2025-01-01, bed nights 2025-01-29 and 2025-07-30, S 2024-12-12.
- x1: SO from 2025-03-10, exit 2025-03-05 (start after exit).
- y1 (born 2004-06-01, 20): ES from 2025-01-01 to 2025-01-31, S 2024-12-02; a youth alone.
- y2 (born 2003-02-01, 22), y3 (born 2023-05-01, 1) [with children]: RRH from 2025-04-01,
  moved in 2025-04-05, S 2025-03-01; y2 head, Hispanic only; y3 race not collected. A youth
  household: y2 is youth, y3 (age 1) is not.

Lengths of participation (Q22a1): a1, a2 264; a3 153; b1 426; c1 149 (leaver); d1 122; e1 45
(leaver); f1 153; n1 2 bed nights; x1 -5 (leaver); y1 30 (leaver); y2, y3 183.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from dataquality.testing import HmisBuilder
from hmis import models as hmis
from reports.apr import builders, exits, income, people, subpopulations
from reports.drilldown import drill_down
from reports.exports import table_csv
from tests.factories import ProjectFactory
from tests.reports_fixtures import assert_drill_downs, build_apr, nonzero

D = dt.date
START, END = D(2024, 10, 1), D(2025, 9, 30)
KEYS = ("Q22b", "Q22c", "Q22e", "Q22f", "Q22g", "Q27e", "Q27j", "Q27k", "Q27l")


@pytest.fixture
def apr(demo, monkeypatch):
    # Build only this module's tables (and the committed ones): the other question modules are
    # written at the same time and are tested by their own files.
    for module in (income, exits, people, subpopulations):
        monkeypatch.setattr(module, "BUILDERS", {})
    build = HmisBuilder(demo.xx500, demo.agency_a, as_of=END)
    setups = {t: ProjectFactory(agency=demo.agency_a, project_type=t) for t in (0, 1, 3, 4, 13)}
    projects = {}

    def stay(name, ptype, entry, client=None, **kw):
        client = client or build.client(personal_id=name)
        if ptype not in projects:  # one project per type, so households share theirs
            projects[ptype] = build.project(ptype, agency_project=setups[ptype])
        return build.enrollment(client=client, project=projects[ptype], entry=entry, **kw)

    def person(name, **kw):
        return build.client(personal_id=name, **kw)

    black = dict(white=0, black_af_american=1)
    # a1-a3: PSH household; a3 joined after the move-in.
    stay(
        "a1", 3, D(2025, 1, 10), person("a1", **black), household_id="HA",
        move_in_date=D(2025, 3, 1), date_to_street_essh=D(2024, 12, 1),
    )  # fmt: skip
    stay(
        "a2", 3, D(2025, 1, 10), person("a2", dob=D(2017, 3, 3), hispanic_latinao=1, **black),
        household_id="HA", relationship_to_hoh=2, move_in_date=None, date_to_street_essh=None,
    )  # fmt: skip
    stay(
        "a3", 3, D(2025, 5, 1), person("a3", dob=D(2015, 6, 6)), household_id="HA",
        relationship_to_hoh=2, move_in_date=None, date_to_street_essh=None,
    )  # fmt: skip
    stay("b1", 13, D(2024, 8, 1), move_in_date=D(2024, 9, 15), date_to_street_essh=D(2023, 9, 1))
    c1 = stay("c1", 13, D(2025, 2, 1), person("c1", asian=1), move_in_date=None)
    build.exit(c1, D(2025, 6, 30))
    stay("d1", 3, D(2025, 6, 1), move_in_date=D(2025, 10, 15), date_to_street_essh=None)
    e1 = stay("e1", 0, D(2025, 3, 1), date_to_street_essh=D(2025, 2, 20))
    build.exit(e1, D(2025, 4, 15))
    stay("f1", 0, D(2025, 5, 1), date_to_street_essh=D(2025, 6, 1))
    n1 = stay("n1", 1, D(2025, 1, 1), date_to_street_essh=D(2024, 12, 12))
    for night in (D(2025, 1, 29), D(2025, 7, 30)):
        hmis.Services.objects.create(
            services_id=f"S{night:%m%d}",
            source=build.source,
            coc=build.coc,
            hud_enrollment_id=n1.enrollment_id,
            personal_id=n1.personal_id,
            enrollment=n1,
            agency=n1.agency,
            date_provided=night,
            record_type=200,
            type_provided=200,
            date_created=n1.date_created,
            date_updated=n1.date_updated,
        )
    build.exit(stay("x1", 4, D(2025, 3, 10)), D(2025, 3, 5))
    y1 = stay("y1", 0, D(2025, 1, 1), person("y1", dob=D(2004, 6, 1)))
    y1.date_to_street_essh = D(2024, 12, 2)
    y1.save(update_fields=["date_to_street_essh"])
    build.exit(y1, D(2025, 1, 31))
    stay(
        "y2", 13, D(2025, 4, 1), person("y2", dob=D(2003, 2, 1), white=0, hispanic_latinao=1),
        household_id="HY", move_in_date=D(2025, 4, 5), date_to_street_essh=D(2025, 3, 1),
    )  # fmt: skip
    stay(
        "y3", 13, D(2025, 4, 1), person("y3", dob=D(2023, 5, 1), white=0, race_none=99),
        household_id="HY", relationship_to_hoh=2, move_in_date=None, date_to_street_essh=None,
    )  # fmt: skip

    return build_apr(demo.xx500, setups.values(), START, END)


def test_registered_in_huds_order():
    keys = list(builders())
    assert [k for k in keys if k in KEYS] == list(KEYS)
    assert keys.index("Q22a1") < keys.index("Q22b")


def test_q22b_average_and_median_length_of_participation(apr):
    """Spec Q22b: Q22a1's lengths; x1 (start after exit) is left out (instruction 1a).
    Leavers c1 149, e1 45, y1 30: average 224 / 3 = 74.67 (rule 10, 2 places), median 45.
    Stayers 2, 122, 153, 153, 183, 183, 264, 264, 426: average 1750 / 9 = 194.44, median 183."""
    q22b = apr.tables["Q22b"]
    assert q22b["cells"] == {"B2": 74.67, "C2": 194.44, "B3": 45, "C3": 183}
    assert q22b["columns"] == [["B", "Leavers"], ["C", "Stayers"]]
    assert q22b["drillable"] == []


def test_q27e_and_q27j_youth_length_of_participation(apr):
    """Spec Q27e/Q27j (Q22a1/Q22b with the youth filter; "Client Types"): only y1 (20, alone)
    and y2 (22, head) are youth; y3 (age 1) is not, a-household has an adult of 44."""
    assert nonzero(apr, "Q27e") == {
        "B2": 1, "C2": 1,  # y1 leaver, 30 days
        "B6": 1, "D6": 1,  # y2 stayer, 183 days
        "B12": 2, "C12": 1, "D12": 1,
    }  # fmt: skip
    assert apr.tables["Q27j"]["cells"] == {"B2": 30, "C2": 183, "B3": 30, "C3": 183}


def test_q22c_start_to_move_in(apr):
    """Spec Q22c: a1 and a2 moved in 50 days after their start (2025-01-10 -> 03-01), a3 joined
    after the move-in (0 days, its own start), y2/y3 4 days; b1 moved in before the range and d1
    after it (not in the universe); c1 left without moving in (row 13). Row 12 averages
    (50 + 50 + 0 + 4 + 4) / 5 = 21.6."""
    assert nonzero(apr, "Q22c") == {
        "B2": 3, "D2": 3,  # a3, y2, y3
        "B6": 2, "D6": 2,  # a1, a2
        "B11": 5, "D11": 5,
        "B12": 21.6, "D12": 21.6,
        "B13": 1, "C13": 1,  # c1
        "B14": 6, "C14": 1, "D14": 5,
    }  # fmt: skip
    assert [r[0] for r in apr.tables["Q22c"]["rows"]] == list(range(2, 15))
    assert nonzero(apr, "Q27k") == {  # y2 only
        "B2": 1, "D2": 1, "B11": 1, "D11": 1, "B12": 4, "D12": 4, "B14": 1, "D14": 1,
    }  # fmt: skip


def test_q22e_time_prior_to_housing(apr):
    """Spec Q22e: from S to the move-in (PH) or the start (ES): e1 9, n1 20, y1 30, y2 and y3
    35 (y3 takes its head's S), a1 and a2 90 (a2 its head's S), b1 380 (moved in before the
    range). Row 13: c1 and d1 not moved in by the end. Row 14: f1's S after its start, a3
    joined after its head (no S to take). x1 (SO) is not a project type of the question."""
    assert nonzero(apr, "Q22e") == {
        "B3": 1, "C3": 1,  # e1
        "B4": 1, "C4": 1,  # n1
        "B5": 1, "C5": 1,  # y1
        "B6": 2, "D6": 2,  # y2, y3
        "B7": 2, "D7": 2,  # a1, a2
        "B10": 1, "C10": 1,  # b1
        "B12": 8, "C12": 4, "D12": 4,
        "B13": 2, "C13": 2,  # c1, d1
        "B14": 2, "C14": 1, "D14": 1,  # f1 | a3
        "B15": 12, "C15": 7, "D15": 5,
    }  # fmt: skip
    assert [r[0] for r in apr.tables["Q22e"]["rows"]] == list(range(2, 16))
    assert nonzero(apr, "Q27l") == {
        "B5": 1, "C5": 1,  # y1
        "B6": 1, "D6": 1,  # y2
        "B12": 2, "C12": 1, "D12": 1,
        "B15": 2, "C15": 1, "D15": 1,
    }  # fmt: skip


def test_q22f_move_in_by_race_and_ethnicity(apr):
    """Spec Q22f: columns B-H one race/ethnicity alone (E Hispanic/Latina/o only), I at least
    one race and Hispanic/Latina/o, J multiracial without, K unknown. a1 Black (50 days), a2
    Black and Hispanic (50), a3 White (0), y2 Hispanic (4), y3 unknown (4); c1 Asian and White
    exited without move-in. Rows 4 and 5: average and median per column."""
    assert nonzero(apr, "Q22f") == {
        "D2": 1, "D4": 50, "D5": 50,  # a1
        "E2": 1, "E4": 4, "E5": 4,  # y2
        "H2": 1,  # a3: 0 days
        "I2": 1, "I4": 50, "I5": 50,  # a2
        "J3": 1,  # c1
        "K2": 1, "K4": 4, "K5": 4,  # y3
    }  # fmt: skip
    assert apr.tables["Q22f"]["cells"]["H4"] == 0
    for key in ("Q22f", "Q22g"):  # HUD's shell: columns B-K, rows 2-5
        assert [c[0] for c in apr.tables[key]["columns"]] == list("BCDEFGHIJK")
        assert [r[0] for r in apr.tables[key]["rows"]] == [2, 3, 4, 5]


def test_q22g_prior_to_housing_by_race_and_ethnicity(apr):
    """Spec Q22g: Q22e's lengths; persons without a usable S are left out entirely (a3, d1,
    f1). White: e1 9, n1 20, y1 30, b1 380: average 439 / 4 = 109.75, median (20 + 30) / 2 = 25.
    Row 3: c1 (Asian and White, S known) not yet moved in."""
    assert nonzero(apr, "Q22g") == {
        "D2": 1, "D4": 90, "D5": 90,  # a1
        "E2": 1, "E4": 35, "E5": 35,  # y2
        "H2": 4, "H4": 109.75, "H5": 25,  # e1, n1, y1, b1
        "I2": 1, "I4": 90, "I5": 90,  # a2
        "J3": 1,  # c1
        "K2": 1, "K4": 35, "K5": 35,  # y3
    }  # fmt: skip


def test_every_drill_down_lists_the_clients_of_its_cell(apr, demo):
    cocadmin = demo.user("cocadmin")
    assert_drill_downs(apr, KEYS, cocadmin)
    moved = drill_down(apr, "Q22c", "D2", cocadmin).rows
    assert {r["personal_id"] for r in moved} == {"a3", "y2", "y3"}
    assert {r["personal_id"] for r in drill_down(apr, "Q22e", "B13", cocadmin).rows} == {
        "c1",
        "d1",
    }


def test_q22b_sage_csv_averages(apr):
    """Spec "Exporting Report Results to CSV" rule 10: averages of days as decimal numbers
    (ours carry the 2 rounded places, written with 4)."""
    rows = list(csv.reader(io.StringIO(table_csv(apr.tables["Q22b"]))))
    assert rows == [
        ["", "Leavers", "Stayers"],
        ["Average Length", "74.6700", "194.4400"],
        ["Median Length", "45.0000", "183.0000"],
    ]


@pytest.fixture
def two_heads(demo, monkeypatch):
    """One PSH household (all adults) with two heads (a data error): h1 and h2 from
    2025-01-10, h1 moved in 2025-02-09 (30 days), h2 2025-03-11 (60 days); member m1 from
    2025-01-10. S 2024-12-11 for all (h1 60 days, h2 90 days, m1 60 or 90)."""
    for module in (income, exits, people, subpopulations):
        monkeypatch.setattr(module, "BUILDERS", {})
    build = HmisBuilder(demo.xx500, demo.agency_a, as_of=END)
    setup = ProjectFactory(agency=demo.agency_a, project_type=3)
    project = build.project(3, agency_project=setup)
    for name, relationship, move_in in (
        ("h1", 1, D(2025, 2, 9)),
        ("h2", 1, D(2025, 3, 11)),
        ("m1", 3, None),
    ):
        build.enrollment(
            client=build.client(personal_id=name), project=project, entry=D(2025, 1, 10),
            household_id="HM", relationship_to_hoh=relationship, move_in_date=move_in,
            date_to_street_essh=D(2024, 12, 11),
        )  # fmt: skip
    return build_apr(demo.xx500, [setup], START, END)


def test_two_heads_any_head_puts_a_member_in_a_range(two_heads, demo):
    """A member of a household with two heads is in every day range one of its heads puts it
    in (Q22c rows 5 and 6, Q22e rows 6 and 7), counted once in the totals; the averages take
    the first head's (h1's) move-in: Q22c (30 + 60 + 30) / 3 = 40."""
    assert nonzero(two_heads, "Q22c") == {
        "B5": 2, "C5": 2,  # h1, m1
        "B6": 2, "C6": 2,  # h2, m1
        "B11": 3, "C11": 3, "B12": 40, "C12": 40, "B14": 3, "C14": 3,
    }  # fmt: skip
    assert nonzero(two_heads, "Q22e") == {
        "B6": 2, "C6": 2,  # h1, m1: 60 days
        "B7": 2, "C7": 2,  # h2, m1: 90 days
        "B12": 3, "C12": 3, "B15": 3, "C15": 3,
    }  # fmt: skip
    assert_drill_downs(two_heads, ("Q22c", "Q22e"), demo.user("cocadmin"))
