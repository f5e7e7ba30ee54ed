"""APR Q25b, Q25d, Q26a, Q26d, Q27a, Q27b and Q27d from hand-built records, every cell
(HUD CoC APR/ESG CAPER HMIS Programming Specifications FY2026 V1.0, Q25-Q27 series).

Report range 2024-10-01 – 2025-09-30. Ages are at the later of project start and report start.
Every stay is open (no exit) and each person has one stay unless said; default answers:
veteran status "no", disabling condition "no" (so not chronically homeless), prior living
situation 116. Household type in brackets.

- v1: ES from 2024-06-01, age 44, alone [without children]; a veteran, disabled, homeless since
  2023-05-01: a chronically homeless veteran.
- HV (PSH from 2025-01-10) [with children and adults]: v2 head, age 64, a veteran; v3 spouse,
  age 34; k1 child (relationship 2), age 10.
- HD (ES from 2025-02-01) [without children]: d1 head, age 44; d2 spouse, age 39, veteran status
  "prefers not to answer" (9), disabling condition "doesn't know" (CH status DK/PNTA).
- m1: ES from 2025-03-01, age 44, alone [without children]; veteran status and disabling
  condition not collected (99).
- u1: ES from 2025-04-01, no DOB, alone [unknown household type].
- HC (ES from 2024-12-01) [with children and adults]: c1 head, age 66, disabled, homeless since
  2023-01-01 (chronically homeless); c2 child (relationship 2), age 12 (CH through c1).
- HY1 (TH from 2025-01-10) [with children and adults]: y1 head, age 21; y2 child
  (relationship 2), age 1; y3 partner, age 21. y3's latest stay is her own ES stay from
  2025-06-01, alone [without children], age 22, from foster care (215).
- HY2 (ES from 2024-11-01) [with only children]: y4 head, age 16, from an emergency shelter
  (101); y5 child (relationship 2), age 0.
- HY3 (ES from 2025-02-01) [without children]: y6 head, age 22; y7 spouse, age 34 (not a youth
  household).
- y8: ES from 2025-03-01, age 19, alone [without children]; prior living situation "doesn't
  know" (8).
- HY4 (ES from 2025-05-01) [unknown household type]: y10 head, age 20; u2 spouse, DOB "doesn't
  know".
"""

from __future__ import annotations

import datetime as dt

import pytest

from dataquality.testing import HmisBuilder
from reports.apr import builders
from reports.drilldown import drill_down
from tests.factories import ProjectFactory
from tests.reports_fixtures import assert_drill_downs, build_apr, nonzero

D = dt.date
START, END = D(2024, 10, 1), D(2025, 9, 30)
KEYS = ("Q25b", "Q25d", "Q26a", "Q26d", "Q27a", "Q27b", "Q27d")


@pytest.fixture
def apr(demo):
    build = HmisBuilder(demo.xx500, demo.agency_a, as_of=END)
    setups = {t: ProjectFactory(agency=demo.agency_a, project_type=t) for t in (0, 2, 3)}

    def person(name, **kw):
        return build.client(personal_id=name, **kw)

    def stay(client, ptype, entry, household, relationship=1, **kw):
        project = build.project(ptype, agency_project=setups[ptype])
        return build.enrollment(
            client=client,
            project=project,
            entry=entry,
            household_id=household,
            relationship_to_hoh=relationship,
            **kw,
        )

    chronic = dict(disabling_condition=1)
    # v1: chronically homeless veteran, alone.
    stay(
        person("v1", veteran_status=1),
        0,
        D(2024, 6, 1),
        "Hv1",
        date_to_street_essh=D(2023, 5, 1),
        **chronic,
    )
    # HV: a veteran head (not CH), a spouse and a child in PSH.
    psh = D(2025, 1, 10)
    stay(person("v2", veteran_status=1, dob=D(1960, 5, 17)), 3, psh, "HV")
    stay(person("v3", dob=D(1990, 5, 17)), 3, psh, "HV", relationship=3)
    stay(person("k1", dob=D(2015, 1, 1)), 3, psh, "HV", relationship=2)
    # HD: a spouse whose veteran status is "prefers not to answer", disabling condition DK.
    stay(person("d1"), 0, D(2025, 2, 1), "HD")
    stay(
        person("d2", veteran_status=9, dob=D(1985, 5, 17)),
        0,
        D(2025, 2, 1),
        "HD",
        relationship=3,
        disabling_condition=8,
    )
    # m1: veteran status and disabling condition not collected.
    stay(person("m1", veteran_status=99), 0, D(2025, 3, 1), "Hm1", disabling_condition=99)
    # u1: unknown age, alone.
    stay(person("u1", dob=None, dob_data_quality=99), 0, D(2025, 4, 1), "Hu1")
    # HC: chronically homeless head aged 66 with a 12-year-old child.
    hc = D(2024, 12, 1)
    stay(person("c1", dob=D(1958, 3, 3)), 0, hc, "HC", date_to_street_essh=D(2023, 1, 1), **chronic)
    stay(person("c2", dob=D(2012, 6, 6)), 0, hc, "HC", relationship=2)
    # HY1: parenting youth (21) with a child and a partner whose latest stay is elsewhere.
    y3 = person("y3", dob=D(2003, 2, 2))
    stay(person("y1", dob=D(2004, 1, 1)), 2, psh, "HY1")
    stay(person("y2", dob=D(2023, 6, 1)), 2, psh, "HY1", relationship=2)
    stay(y3, 2, psh, "HY1", relationship=3)
    stay(y3, 0, D(2025, 6, 1), "Hy3", living_situation=215)
    # HY2: a 16-year-old parenting head with a baby.
    hy2 = D(2024, 11, 1)
    stay(person("y4", dob=D(2008, 3, 3)), 0, hy2, "HY2", living_situation=101)
    stay(person("y5", dob=D(2024, 8, 1)), 0, hy2, "HY2", relationship=2)
    # HY3: a 22-year-old head with a 34-year-old spouse: not a youth household.
    stay(person("y6", dob=D(2002, 7, 7)), 0, D(2025, 2, 1), "HY3")
    stay(person("y7", dob=D(1990, 5, 17)), 0, D(2025, 2, 1), "HY3", relationship=3)
    # y8: youth alone, prior living situation "doesn't know".
    stay(person("y8", dob=D(2005, 5, 5)), 0, D(2025, 3, 1), "Hy8", living_situation=8)
    # HY4: a youth head with a spouse of unknown age.
    stay(person("y10", dob=D(2005, 1, 1)), 0, D(2025, 5, 1), "HY4")
    stay(
        person("u2", dob=None, dob_data_quality=8),
        0,
        D(2025, 5, 1),
        "HY4",
        relationship=3,
    )

    return build_apr(demo.xx500, setups.values(), START, END)


def test_registered_in_hud_order():
    keys = [k for k in builders() if k in KEYS]
    assert keys == list(KEYS)


def test_q25b_veteran_households(apr):
    """Spec Q25b: heads of household by the veteran and CH status of the adults of their stay,
    first match wins; no "With Only Children" column. u1 (no adult) and HY2 (only children) are
    not reported."""
    assert [c for c, _h in apr.tables["Q25b"]["columns"]] == ["B", "C", "D", "E"]
    assert nonzero(apr, "Q25b") == {
        "B2": 1, "C2": 1,  # v1: a chronically homeless veteran
        "B3": 1, "D3": 1,  # HV: v2 a veteran, not CH
        # every adult "no": HC, HY1 | y3 (her own stay), HY3, y8 | HY4 (u2's age unknown)
        "B4": 6, "C4": 3, "D4": 2, "E4": 1,
        "B5": 1, "C5": 1,  # HD: d2 prefers not to answer
        "B6": 1, "C6": 1,  # m1 not collected
        "B7": 10, "C7": 6, "D7": 3, "E7": 1,
    }  # fmt: skip


def test_q25d_age_of_veterans(apr):
    """Spec Q25d: Q11's adult bands for veterans; rows 8 and 9 (unknown age) grayed."""
    assert nonzero(apr, "Q25d") == {
        "B4": 1, "C4": 1,  # v1, 44
        "B6": 1, "D6": 1,  # v2, 64
        "B10": 2, "C10": 1, "D10": 1,
    }  # fmt: skip
    table = apr.tables["Q25d"]
    assert set(table["grayed"]) == {"B8", "C8", "D8", "E8", "B9", "C9", "D9", "E9"}
    assert [n for n, _label in table["rows"]] == list(range(2, 11))


def test_q26a_households_with_a_chronically_homeless_person(apr):
    """Spec Q26a: heads of household by the CH status of the head and the other adults,
    first match wins (CH, all not CH, any DK/PNTA, any not collected)."""
    assert nonzero(apr, "Q26a") == {
        "B2": 2, "C2": 1, "D2": 1,  # v1 | HC
        # HV, HY1 | y3, HY3, y8 | HY2 | u1, HY4
        "B3": 8, "C3": 3, "D3": 2, "E3": 1, "F3": 2,
        "B4": 1, "C4": 1,  # HD: d2's disabling condition "doesn't know"
        "B5": 1, "C5": 1,  # m1
        "B6": 12, "C6": 6, "D6": 3, "E6": 1, "F6": 2,
    }  # fmt: skip


def test_q26d_age_of_chronically_homeless_persons(apr):
    """Spec Q26d: Q26b's chronically homeless persons by age; c2 is CH through her head."""
    assert nonzero(apr, "Q26d") == {
        "B2": 1, "D2": 1,  # c2, 12
        "B5": 1, "C5": 1,  # v1, 44
        "B8": 1, "D8": 1,  # c1, 66
        "B11": 3, "C11": 1, "D11": 2,
    }  # fmt: skip
    assert set(apr.tables["Q26d"]["grayed"]) == {"C2"} | {f"E{n}" for n in range(3, 11)}
    assert apr.tables["Q26b"]["cells"]["B2"] == apr.tables["Q26d"]["cells"]["B11"]


def test_q27a_age_of_youth(apr):
    """Spec Q27a: clients aged 12-24 in a household with no member over 24 (y6 and c2 are not:
    HY3 has a 34-year-old, HC a 66-year-old; u2 has no age). Unknown-age rows are grayed and
    F6 too, as in HUD's shell."""
    assert nonzero(apr, "Q27a") == {
        "B2": 1, "E2": 1,  # y4, 16
        "B3": 4, "C3": 2, "D3": 1, "F3": 1,  # y3 (her ES stay), y8 | y1 | y10
        "B6": 5, "C6": 2, "D6": 1, "E6": 1,
    }  # fmt: skip
    grayed = set(apr.tables["Q27a"]["grayed"])
    assert grayed == {"C2", "E3", "F6"} | {f"{c}{n}" for c in "BCDEF" for n in (4, 5)}


def test_q27b_parenting_youth(apr):
    """Spec Q27b: households headed by a parenting youth, on the head's latest stay, with every
    member active on it (y3 counts on HY1 although her latest stay is elsewhere). Row 2 y4 (16);
    row 3 y1 (21)."""
    assert nonzero(apr, "Q27b") == {
        "B2": 1, "C2": 1, "D2": 2, "E2": 1,  # y4 | y5 | y4, y5 | HY2
        "B3": 2, "C3": 1, "D3": 3, "E3": 1,  # y1, y3 | y2 | y1, y2, y3 | HY1
    }  # fmt: skip


def test_q27d_living_situation_of_youth_heads(apr):
    """Spec Q27d: Q15's rows for youth heads of household only (y1, y3, y4, y8, y10; y6 is in
    HY3, not a youth household); Q15's header rows grayed."""
    assert nonzero(apr, "Q27d") == {
        "B3": 2, "D3": 1, "F3": 1,  # y1 | y10: place not meant for habitation
        "B4": 1, "E4": 1,  # y4: emergency shelter
        "B6": 3, "D6": 1, "E6": 1, "F6": 1,
        "B8": 1, "C8": 1, "B14": 1, "C14": 1,  # y3: foster care
        "B29": 1, "C29": 1, "B31": 1, "C31": 1,  # y8: doesn't know
        "B32": 5, "C32": 2, "D32": 1, "E32": 1, "F32": 1,
    }  # fmt: skip
    table = apr.tables["Q27d"]
    assert table["rows"] == apr.tables["Q15"]["rows"]
    assert set(table["grayed"]) == set(apr.tables["Q15"]["grayed"])


def test_every_drill_down_lists_the_clients_of_its_cell(apr, demo):
    cocadmin = demo.user("cocadmin")
    assert_drill_downs(apr, KEYS, cocadmin)
    members = drill_down(apr, "Q27b", "D3", cocadmin).rows
    assert {r["personal_id"] for r in members} == {"y1", "y2", "y3"}
    assert {r["household_id"] for r in members} == {"HY1"}


def test_a_version_built_before_the_derived_columns_is_derived_before_its_drill_downs(apr, demo):
    """A version whose rows predate the derived columns (``derived`` empty: built before
    migration 0008, or before a module's columns) is derived again, once, on its first
    drill-down, so the drill-downs still list the clients its stored cells counted."""
    from reports.apr.derived import REVISION
    from reports.models import ReportFact

    rows = ReportFact.objects.filter(version=apr, universe="apr")
    rows.update(
        derived=None, youth_household=None, parenting_youth=None, chronic_status=None, los_days=None
    )
    cocadmin = demo.user("cocadmin")
    members = drill_down(apr, "Q27b", "D3", cocadmin).rows  # parenting youth: derived first
    assert {r["personal_id"] for r in members} == {"y1", "y2", "y3"}
    assert set(rows.values_list("derived", flat=True)) == {REVISION}
    assert not rows.filter(chronic_status__isnull=True).exists()
    assert_drill_downs(apr, KEYS, cocadmin)


def test_grouped_counting_equals_counting_every_cell_on_every_row(apr):
    """``count_table`` counts a table from its rows grouped by the cells' conditions; for every
    APR table that path applies to, each cell equals the distinct clients of its own filter."""
    from reports import engine

    checked = 0
    for key, build in builders().items():
        table = build(apr)
        filters = engine.cell_filters(table)
        if not filters or table.all_stays:
            continue
        names = {address: f"cell_{n}" for n, address in enumerate(filters)}
        grouped = engine._grouped_counts(apr, table, filters, names)
        if grouped is None:
            continue
        assert grouped == engine._flag_counts(apr, table, filters, names), key
        checked += 1
    assert checked >= 40  # most tables are counted this way


def test_a_filter_with_a_correlated_sub_select_stays_one_term():
    """PostgreSQL evaluates ``a AND <sub-select>`` lazily: split, the sub-select would run for
    every row (APR Q27m: 0.7 -> 8 s at 200,000 clients)."""
    from django.db.models import Exists, OuterRef, Q

    from hmis.models import Enrollment
    from reports import engine

    correlated = Q(age__gte=18) & Q(Exists(Enrollment.objects.filter(pk=OuterRef("enrollment_id"))))
    plain = Q(age__gte=18) & Q(household_type=1)
    terms, of_flag = engine._terms(
        {"B2": correlated, "B3": plain}, {"B2": "cell_0", "B3": "cell_1"}
    )
    assert len(of_flag["cell_0"]) == 1 and terms[of_flag["cell_0"][0]] is correlated
    assert [terms[t] for t in of_flag["cell_1"]] == [Q(age__gte=18), Q(household_type=1)]
