"""APR Q23c, Q23d, Q23e, Q24b, Q25i, Q25j, Q27f1 and Q27f2 from hand-built records, every cell
(HUD CoC APR/ESG CAPER HMIS Programming Specifications FY2026 V1.0, Q23c-Q27f2 and Appendix A).

Report range 2024-10-01 – 2025-09-30. DOB 1980 and White unless said; household type in
brackets (C without children, D with children and adults, E only children, F unknown).

Leavers (their latest stay exited in the range), by destination:
- a1: ES, 116 [C]; an earlier ES stay exited 2024-11-01 to 410 is not the latest, not counted.
- a2: ES, 332 host home [C], Asian: positive for ES (Appendix A FY2026).
- a3: SO, 332 [C], Black: positive for SO.
- a4: SO, 329 [C], Hispanic/Latina/o only: excluded for SO.
- a5: TH, 329 [C], White and Hispanic: neither positive nor excluded for TH.
- a6: TH, 215 foster care [C], White and Asian: excluded for TH.
- a7: SO, 435 without a subsidy type [C].
- h1: HP, 435 with an HCV voucher (433) [C]: in Q23c, not in Q23d ("all projects except HP").
- f1 (head, veteran, race "doesn't know") and f2 (child born 2016, Black): PSH, 435 with a VASH
  subsidy (419) [D]. f1 has moving on assistance 1 and 2 (twice) in the range and 3 before it;
  f2 (not a head) has 4.
- y1 (head, 21) and y2 (partner, 19): RRH, 435 with an RRH subsidy (431) and 410 [C]; youth.
- y3 (head, 22) and y4 (31): ES, 101 [C]; y3 is not youth (a member is over 24).
- c1: ES, alone at 16, 313 [E]; youth.
- d1: ES, no DOB, race not collected, 24 deceased [F]: excluded everywhere.
- n1: ES, 8 (doesn't know); n2: ES, 30 (no exit interview); r1: TH, 335 (not a destination
  code: "Data Not Collected"); v2: TH veteran, 206 hospital (excluded) [all C].
Not leavers: s1 (ES, no exit), s2 (ES, exit 2025-10-15 after the range), p1 (PSH head, stayer,
moving on assistance 4 and 5 in the range) [C].
"""

from __future__ import annotations

import datetime as dt

import pytest

from dataquality.testing import HmisBuilder
from hmis import models as hmis
from reports.drilldown import drill_down
from reports.exports import table_grid
from tests.factories import ProjectFactory
from tests.reports_fixtures import assert_drill_downs, build_apr, nonzero

D = dt.date
START, END = D(2024, 10, 1), D(2025, 9, 30)
KEYS = ("Q23c", "Q23d", "Q23e", "Q24b", "Q25i", "Q25j", "Q27f1", "Q27f2")


def moving_on(build, enrollment, kind: int, day: dt.date) -> None:
    """A Moving On Assistance record (Services RecordType 300) of ``kind`` on ``day``."""
    hmis.Services.objects.create(
        services_id=f"S{hmis.Services.objects.count()}{enrollment.enrollment_id}",
        source=build.source,
        coc=build.coc,
        hud_enrollment_id=enrollment.enrollment_id,
        personal_id=enrollment.personal_id,
        enrollment=enrollment,
        agency=enrollment.agency,
        date_provided=day,
        record_type=300,
        type_provided=kind,
        date_created=enrollment.date_created,
        date_updated=enrollment.date_updated,
    )


@pytest.fixture
def apr(demo):
    build = HmisBuilder(demo.xx500, demo.agency_a, as_of=END)
    types = (0, 2, 3, 4, 12, 13)
    setups = {t: ProjectFactory(agency=demo.agency_a, project_type=t) for t in types}
    ES, TH, PSH, SO, HP, RRH = types

    def leaver(name, ptype, entry, exit_day, dest, client=None, subsidy=None, **kw):
        client = client or build.client(personal_id=name)
        project = build.project(ptype, agency_project=setups[ptype])
        enrollment = build.enrollment(client=client, project=project, entry=entry, **kw)
        if exit_day:
            build.exit(enrollment, exit_day, destination=dest, destination_subsidy_type=subsidy)
        return enrollment

    a1 = build.client(personal_id="a1")
    leaver("a1", ES, D(2024, 10, 2), D(2024, 11, 1), 410, client=a1)
    leaver("a1", ES, D(2025, 1, 5), D(2025, 2, 1), 116, client=a1)
    asian = build.client(personal_id="a2", white=0, asian=1)
    leaver("a2", ES, D(2025, 3, 1), D(2025, 4, 1), 332, client=asian)
    black = build.client(personal_id="a3", white=0, black_af_american=1)
    leaver("a3", SO, D(2025, 2, 1), D(2025, 3, 1), 332, client=black)
    hispanic = build.client(personal_id="a4", white=0, hispanic_latinao=1)
    leaver("a4", SO, D(2025, 2, 1), D(2025, 3, 10), 329, client=hispanic)
    white_hispanic = build.client(personal_id="a5", hispanic_latinao=1)
    leaver("a5", TH, D(2024, 11, 1), D(2025, 5, 1), 329, client=white_hispanic)
    white_asian = build.client(personal_id="a6", asian=1)
    leaver("a6", TH, D(2024, 11, 1), D(2025, 6, 1), 215, client=white_asian)
    leaver("a7", SO, D(2025, 5, 1), D(2025, 6, 1), 435)
    leaver("h1", HP, D(2025, 3, 1), D(2025, 6, 1), 435, subsidy=433)
    # f1, f2: a PSH family that left to a VASH rental; moving on assistance on their stays.
    f1 = leaver(
        "f1",
        PSH,
        D(2024, 8, 1),
        D(2025, 7, 1),
        435,
        client=build.client(personal_id="f1", veteran_status=1, white=0, race_none=8),
        subsidy=419,
        household_id="HF",
    )
    f2 = leaver(
        "f2",
        PSH,
        D(2024, 8, 1),
        D(2025, 7, 1),
        435,
        client=build.client(personal_id="f2", dob=D(2016, 6, 1), white=0, black_af_american=1),
        subsidy=419,
        household_id="HF",
        relationship_to_hoh=2,
    )
    moving_on(build, f1, 1, D(2025, 1, 15))
    moving_on(build, f1, 2, D(2025, 2, 15))
    moving_on(build, f1, 2, D(2025, 3, 1))
    moving_on(build, f1, 3, D(2024, 9, 15))  # before the report range
    moving_on(build, f2, 4, D(2025, 1, 15))  # not a head of household
    # y1, y2: a youth couple in RRH; y3 with a 31-year-old: not a youth household.
    for name, dob, rel, dest, subsidy in (
        ("y1", D(2004, 1, 1), 1, 435, 431),
        ("y2", D(2005, 6, 1), 3, 410, None),
    ):
        leaver(
            name,
            RRH,
            D(2025, 1, 1),
            D(2025, 8, 1),
            dest,
            client=build.client(personal_id=name, dob=dob),
            subsidy=subsidy,
            household_id="HY",
            relationship_to_hoh=rel,
        )
    for name, dob, rel in (("y3", D(2002, 1, 1), 1), ("y4", D(1994, 1, 1), 3)):
        leaver(
            name,
            ES,
            D(2025, 2, 1),
            D(2025, 3, 1),
            101,
            client=build.client(personal_id=name, dob=dob),
            household_id="HO",
            relationship_to_hoh=rel,
        )
    leaver(
        "c1",
        ES,
        D(2025, 1, 10),
        D(2025, 2, 10),
        313,
        client=build.client(personal_id="c1", dob=D(2008, 6, 1)),
    )
    leaver(
        "d1",
        ES,
        D(2025, 4, 1),
        D(2025, 5, 1),
        24,
        client=build.client(personal_id="d1", dob=None, dob_data_quality=99, white=0, race_none=99),
    )
    leaver("n1", ES, D(2025, 4, 1), D(2025, 5, 1), 8)
    leaver("n2", ES, D(2025, 4, 1), D(2025, 5, 1), 30)
    leaver("r1", TH, D(2025, 1, 1), D(2025, 2, 1), 335)
    leaver(
        "v2",
        TH,
        D(2025, 1, 1),
        D(2025, 4, 1),
        206,
        client=build.client(personal_id="v2", veteran_status=1),
    )
    # Stayers.
    leaver("s1", ES, D(2025, 6, 1), None, None)
    leaver("s2", ES, D(2025, 8, 1), D(2025, 10, 15), 410)
    p1 = leaver("p1", PSH, D(2025, 1, 1), None, None)
    moving_on(build, p1, 4, D(2025, 5, 1))
    moving_on(build, p1, 5, D(2025, 6, 1))

    return build_apr(demo.xx500, setups.values(), START, END)


def test_q23c_exit_destination(apr):
    """Spec Q23c and Appendix A: 20 leavers; rows 41/42 by each stay's project type."""
    q23c = apr.tables["Q23c"]
    assert [n for n, _label in q23c["rows"]] == list(range(2, 44))
    assert {"B2", "F7", "C15", "D24", "E33"} <= set(q23c["grayed"])
    assert q23c["rows"][37] == [39, "Subtotal"]
    assert nonzero(apr, "Q23c") == {
        "B3": 1, "C3": 1,  # a1 place not meant for habitation
        "B4": 2, "C4": 2,  # y3, y4 emergency shelter
        "B6": 3, "C6": 3,
        "B8": 1, "C8": 1,  # a6 foster care
        "B9": 1, "C9": 1,  # v2 hospital
        "B14": 2, "C14": 2,
        "B17": 2, "C17": 2,  # a4, a5 residential project
        "B19": 2, "C19": 2,  # a2, a3 host home
        "B21": 1, "E21": 1,  # c1 with friends, temporary
        "B23": 5, "C23": 4, "E23": 1,
        "B28": 1, "C28": 1,  # y2 rental without subsidy
        "B29": 5, "C29": 3, "D29": 2,  # y1, a7, h1 | f1, f2 rental with subsidy
        "B32": 6, "C32": 4, "D32": 2,
        "B34": 1, "C34": 1,  # n2 no exit interview
        "B36": 1, "F36": 1,  # d1 deceased
        "B37": 1, "C37": 1,  # n1 doesn't know
        "B38": 1, "C38": 1,  # r1 335 is not a destination code
        "B39": 4, "C39": 3, "F39": 1,
        "B40": 20, "C40": 16, "D40": 2, "E40": 1, "F40": 1,
        # positive: the six to 4xx, a3 (SO to 332), a2 (ES to 332)
        "B41": 8, "C41": 6, "D41": 2,
        # excluded: v2 (206), d1 (24), a6 (215 from TH), a4 (329 from SO)
        "B42": 4, "C42": 3, "F42": 1,
        # 8 / (20 - 4), 6 / (16 - 3), 2 / 2; E 0 / 1 and F 0 / 0 are 0
        "B43": 0.5, "C43": 0.4615, "D43": 1.0,
    }  # fmt: skip
    assert "Appendix A" in q23c["source"]


def test_q23d_subsidy_type_of_rentals_with_subsidy(apr):
    """Spec Q23d: leavers to 435 by DestinationSubsidyType; the total includes a7 (none),
    h1 left an HP project ("All projects except Homelessness Prevention")."""
    assert nonzero(apr, "Q23d") == {
        "B3": 2, "D3": 2,  # f1, f2 VASH
        "B4": 1, "C4": 1,  # y1 RRH
        "B13": 4, "C13": 2, "D13": 2,
    }  # fmt: skip


def test_q23e_destination_type_by_race_and_ethnicity(apr):
    """Spec Q23e: Q23c's subtotals by race; one race alone (C-I), J a race and Hispanic, K two
    races without, L unknown (f1 doesn't know, d1 not collected)."""
    q23e = apr.tables["Q23e"]
    assert [c for c, _h in q23e["columns"]] == list("BCDEFGHIJKL")
    assert nonzero(apr, "Q23e") == {
        "B2": 3, "I2": 3,  # a1, y3, y4
        "B3": 2, "I3": 1, "K3": 1,  # v2 | a6
        "B4": 5, "D4": 1, "E4": 1, "F4": 1, "I4": 1, "J4": 1,  # a2 a3 a4 c1 a5
        "B5": 6, "E5": 1, "I5": 4, "L5": 1,  # f2 | y1 y2 a7 h1 | f1
        "B6": 4, "I6": 3, "L6": 1,  # n1 n2 r1 | d1
        "B7": 20, "D7": 1, "E7": 2, "F7": 1, "I7": 12, "J7": 1, "K7": 1, "L7": 2,
    }  # fmt: skip


def test_q24b_moving_on_assistance(apr):
    """Spec Q24b: PSH heads of household (f1 a leaver, p1 a stayer), each type once, in the
    range only; f2's record is not a head's."""
    assert nonzero(apr, "Q24b") == {
        "B2": 1, "D2": 1,  # f1 application assistance
        "B3": 1, "D3": 1,  # f1 financial assistance (two records)
        "B5": 1, "C5": 1,  # p1 referral/placement
        "B6": 1, "C6": 1,  # p1 other
    }  # fmt: skip


def test_q25i_q25j_veterans(apr):
    """Spec Q25i/Q25j: Q23c/Q23d for adult veterans (f1, v2); Q25j has no child-only column."""
    assert nonzero(apr, "Q25i") == {
        "B9": 1, "C9": 1, "B14": 1, "C14": 1,  # v2 hospital
        "B29": 1, "D29": 1, "B32": 1, "D32": 1,  # f1 rental with subsidy
        "B40": 2, "C40": 1, "D40": 1,
        "B41": 1, "D41": 1, "B42": 1, "C42": 1,
        "B43": 1.0, "D43": 1.0,  # 1 / (2 - 1); C 0 / 0
    }  # fmt: skip
    assert [c for c, _h in apr.tables["Q25j"]["columns"]] == list("BCDE")
    assert nonzero(apr, "Q25j") == {"B3": 1, "D3": 1, "B13": 1, "D13": 1}


def test_q27f1_q27f2_youth(apr):
    """Spec Q27f1/Q27f2: youth leavers y1, y2 and c1 (y3 is in a household with a 31-year-old)."""
    assert nonzero(apr, "Q27f1") == {
        "B21": 1, "E21": 1, "B23": 1, "E23": 1,  # c1
        "B28": 1, "C28": 1, "B29": 1, "C29": 1, "B32": 2, "C32": 2,  # y2 | y1
        "B40": 3, "C40": 2, "E40": 1,
        "B41": 2, "C41": 2,
        "B43": 0.6667, "C43": 1.0,  # 2 / 3, 2 / 2; E 0 / 1
    }  # fmt: skip
    assert nonzero(apr, "Q27f2") == {"B4": 1, "C4": 1, "B13": 1, "C13": 1}


def test_every_drill_down_lists_the_clients_of_its_cell(apr, demo):
    cocadmin = demo.user("cocadmin")
    for key in KEYS:
        table = apr.tables[key]
        assert "43" not in "".join(c for c in table["drillable"] if c.endswith("43"))
    assert_drill_downs(apr, KEYS, cocadmin)
    positive = drill_down(apr, "Q23c", "B41", cocadmin).rows
    assert {r["personal_id"] for r in positive} == {"f1", "f2", "y1", "y2", "a7", "h1", "a3", "a2"}


def test_q23c_sage_layout_rates_and_grayed_headers(apr):
    """Spec "Exporting Report Results to CSV": rates as decimals with four places, grayed
    group headers blank, every position kept."""
    grid = table_grid(apr.tables["Q23c"])
    assert grid[0] == ["", "Total", "Without Children", "With Children and Adults",
                       "With Only Children", "Unknown Household Type"]  # fmt: skip
    assert grid[1] == ["Homeless Situations", "", "", "", "", ""]
    assert grid[-1][1:] == ["0.5000", "0.4615", "1.0000", "0.0000", "0.0000"]
