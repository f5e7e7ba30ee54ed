"""APR Q7b, Q8b, Q12–Q17, Q22a1, Q24e, Q25a and Q26b from hand-built records, every cell
(HUD CoC APR/ESG CAPER HMIS Programming Specifications FY2026 V1.0; REFERENCE.md §1.5, §4.2).

Report range 2024-10-01 – 2025-09-30; PIT nights (last Wednesdays): 2025-01-29, 2025-04-30,
2025-07-30 and 2024-10-30. DOB 1980 unless said; household type in brackets.

- p1: ES-EE 2024-12-01 – 2025-05-15 [without children], and an earlier ES stay 2024-10-15 –
  2024-11-10; White; DV yes (three to six months ago); mental health disorder at start,
  developmental disability at exit; income at exit $2,500 (a pension).
- p2: PSH from 2025-01-10, head, moved in 2025-03-01 [with children]; female, Black; from foster
  care (215); DV no; physical disability at start, chronic health condition on a 2025-06-01
  update; income at start $700 (earned).
- p3: p2's child (born 2017) without a move-in date of its own; female, Black and Hispanic.
- p4: ES-NbN from 2025-01-01, bed nights 2025-01-29 and 2025-07-30 [without children]; Asian,
  White and Hispanic; from a subsidised rental (435); DV doesn't know; alcohol and drug use
  disorders at start; income at start "doesn't know"; disabling condition doesn't know.
- p5: SO 2025-04-01 – 2025-04-30, exit on the PIT night [without children]; race prefers not
  to answer; prior living situation doesn't know (8); disabling condition not collected.
- p6: ES-EE from 2025-07-01, no DOB [unknown]; sex, race and prior living situation not
  collected; DV yes, when not collected.
- p7: ES-EE from 2024-06-01 [without children]; annual assessment 2025-06-03, income $100 (SSI);
  a veteran, disabled, homeless since 2023-05-01: chronically homeless.
- p8: ES-EE from 2024-05-01 [without children]; annual assessment due, none; a veteran.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dataquality.testing import HmisBuilder
from hmis import models as hmis
from reports.drilldown import drill_down
from tests.factories import ProjectFactory
from tests.reports_fixtures import assert_drill_downs, build_apr, nonzero

D = dt.date
START, END = D(2024, 10, 1), D(2025, 9, 30)


def record(build, model, enrollment, **values):
    """A row of an enrollment-level file with the builder's source and stamps."""
    key = {
        hmis.Disabilities: "disabilities_id",
        hmis.HealthAndDV: "health_and_dv_id",
        hmis.Services: "services_id",
    }[model]
    model.objects.create(
        **{key: f"R{model.objects.count()}{enrollment.enrollment_id}"},
        source=build.source,
        coc=build.coc,
        hud_enrollment_id=enrollment.enrollment_id,
        personal_id=enrollment.personal_id,
        enrollment=enrollment,
        agency=enrollment.agency,
        date_created=enrollment.date_created,
        date_updated=enrollment.date_updated,
        **values,
    )


@pytest.fixture
def apr(demo):
    build = HmisBuilder(demo.xx500, demo.agency_a, as_of=END)
    setups = {t: ProjectFactory(agency=demo.agency_a, project_type=t) for t in (0, 1, 3, 4)}

    def stay(name, ptype, entry, client=None, **kw):
        client = client or build.client(personal_id=name)
        project = build.project(ptype, agency_project=setups[ptype])
        return build.enrollment(client=client, project=project, entry=entry, **kw)

    def disability(enrollment, dtype, response, stage, day):
        record(
            build,
            hmis.Disabilities,
            enrollment,
            information_date=day,
            disability_type=dtype,
            disability_response=response,
            data_collection_stage=stage,
        )

    def dv(enrollment, day, survivor, when=None):
        record(
            build,
            hmis.HealthAndDV,
            enrollment,
            information_date=day,
            domestic_violence_survivor=survivor,
            when_occurred=when,
            data_collection_stage=1,
        )

    # p1: two ES stays; the latest is counted, both are present on their nights.
    p1 = build.client(personal_id="p1")
    build.exit(stay("p1", 0, D(2024, 10, 15), client=p1), D(2024, 11, 10))
    e1 = stay("p1", 0, D(2024, 12, 1), client=p1)
    build.exit(e1, D(2025, 5, 15), income=False)
    build.income(e1, D(2025, 5, 15), stage=3, answer=1, total_monthly_income=2500, pension=1)
    disability(e1, 9, 1, 1, e1.entry_date)
    disability(e1, 9, 0, 3, D(2025, 5, 15))
    disability(e1, 6, 1, 3, D(2025, 5, 15))
    dv(e1, D(2024, 12, 1), 0)
    dv(e1, D(2025, 2, 1), 1, when=2)
    # p2 and p3: a PSH household that moved in on 2025-03-01.
    e2 = stay(
        "p2",
        3,
        D(2025, 1, 10),
        client=build.client(personal_id="p2", sex=0, white=0, black_af_american=1),
        household_id="HP",
        move_in_date=D(2025, 3, 1),
        living_situation=215,
        income=False,
    )
    build.income(e2, e2.entry_date, stage=1, answer=1, total_monthly_income=700, earned=1)
    disability(e2, 5, 1, 1, e2.entry_date)
    disability(e2, 7, 1, 2, D(2025, 6, 1))
    dv(e2, e2.entry_date, 0)
    stay(
        "p3",
        3,
        D(2025, 1, 10),
        client=build.client(
            personal_id="p3",
            dob=D(2017, 3, 3),
            sex=0,
            white=0,
            black_af_american=1,
            hispanic_latinao=1,
        ),
        household_id="HP",
        relationship_to_hoh=2,
        move_in_date=None,
    )
    # p4: night-by-night shelter, bed nights on two of the four nights.
    e4 = stay(
        "p4",
        1,
        D(2025, 1, 1),
        client=build.client(personal_id="p4", asian=1, hispanic_latinao=1),
        living_situation=435,
        disabling_condition=8,
        income=False,
    )
    build.income(e4, e4.entry_date, stage=1, answer=8)
    for night in (D(2025, 1, 29), D(2025, 7, 30)):
        record(
            build,
            hmis.Services,
            e4,
            date_provided=night,
            record_type=200,
            type_provided=200,
        )
    disability(e4, 10, 3, 1, e4.entry_date)
    dv(e4, e4.entry_date, 8)
    # p5: street outreach, exited on the April night.
    e5 = stay(
        "p5",
        4,
        D(2025, 4, 1),
        client=build.client(personal_id="p5", white=0, race_none=9),
        living_situation=8,
        disabling_condition=99,
    )
    build.exit(e5, D(2025, 4, 30))
    # p6: unknown age, unknown household type.
    e6 = stay(
        "p6",
        0,
        D(2025, 7, 1),
        client=build.client(
            personal_id="p6", dob=None, dob_data_quality=99, sex=99, white=0, race_none=None
        ),
        living_situation=99,
    )
    dv(e6, e6.entry_date, 1)
    # p7, p8: in the shelter for more than a year; one annual assessment on time, one missing.
    e7 = stay(
        "p7",
        0,
        D(2024, 6, 1),
        client=build.client(personal_id="p7", veteran_status=1),
        disabling_condition=1,
        date_to_street_essh=D(2023, 5, 1),
    )
    build.income(e7, D(2025, 6, 3), stage=5, answer=1, total_monthly_income=100, ssi=1)
    stay("p8", 0, D(2024, 5, 1), client=build.client(personal_id="p8", veteran_status=1))

    return build_apr(demo.xx500, setups.values(), START, END)


def test_q7b_persons_on_the_last_wednesdays(apr):
    """Spec Q7b: every stay counts (p1's earlier stay is the October one); PSH only after
    move-in (p2, p3 not in January), NbN only with a bed night (p4 not in April), SO may exit on
    the night (p5 in April)."""
    assert nonzero(apr, "Q7b") == {
        "B2": 4, "C2": 4,  # January: p1, p4, p7, p8
        "B3": 6, "C3": 4, "D3": 2,  # April: p1, p5, p7, p8 | p2, p3
        "B4": 6, "C4": 3, "D4": 2, "F4": 1,  # July: p4, p7, p8 | p2, p3 | p6
        "B5": 3, "C5": 3,  # October 2024: p1 (earlier stay), p7, p8
    }  # fmt: skip
    assert "2025-01-29" in apr.tables["Q7b"]["source"]


def test_q8b_households_on_the_last_wednesdays(apr):
    """Spec Q8b: heads of household on the same nights."""
    assert nonzero(apr, "Q8b") == {
        "B2": 4, "C2": 4,
        "B3": 5, "C3": 4, "D3": 1,
        "B4": 5, "C4": 3, "D4": 1, "F4": 1,
        "B5": 3, "C5": 3,
    }  # fmt: skip


def test_q12_race_and_ethnicity(apr):
    """Spec Q12 (FY2026 rows): 2–8 one race, 9–29 each pair, 30/31 three or more with/without
    Hispanic/Latina/o, 32 doesn't know/prefers not, 33 not collected, 34 total."""
    q12 = apr.tables["Q12"]
    assert [n for n, _label in q12["rows"]] == list(range(2, 35))
    assert q12["rows"][18] == [20, "Hispanic/Latina/o & Black, African American, or African"]
    assert nonzero(apr, "Q12") == {
        "B4": 1, "D4": 1,  # p2 Black
        "B8": 3, "C8": 3,  # p1, p7, p8 White
        "B20": 1, "D20": 1,  # p3 Black & Hispanic
        "B30": 1, "C30": 1,  # p4 Asian, White, Hispanic
        "B32": 1, "C32": 1,  # p5
        "B33": 1, "F33": 1,  # p6
        "B34": 8, "C34": 5, "D34": 2, "F34": 1,
    }  # fmt: skip


def test_q13_health_conditions_at_start_exit_and_for_stayers(apr):
    """Spec Q13a1/b1/c1: columns split the mixed household into adults (D) and children (E)."""
    assert nonzero(apr, "Q13a1") == {
        "B2": 1, "C2": 1,  # p1 mental health disorder
        "B5": 1, "C5": 1,  # p4 alcohol and drug use
        "B9": 1, "D9": 1,  # p2 physical disability
    }  # fmt: skip
    assert nonzero(apr, "Q13b1") == {"B8": 1, "C8": 1}  # p1, leaver: developmental only
    # Stayers, the records of their latest date: p2's update (chronic health), p4's start.
    assert nonzero(apr, "Q13c1") == {"B5": 1, "C5": 1, "B6": 1, "D6": 1}


def test_q14_domestic_violence(apr):
    """Spec Q14a/Q14b (FY2026): adults and heads, their latest 4.11 answer."""
    assert nonzero(apr, "Q14a") == {
        "B2": 2, "C2": 1, "F2": 1,  # p1, p6
        "B3": 1, "D3": 1,  # p2
        "B4": 1, "C4": 1,  # p4
        "B5": 3, "C5": 3,  # p5, p7, p8: no record
        "B6": 7, "C6": 5, "D6": 1, "F6": 1,
    }  # fmt: skip
    assert nonzero(apr, "Q14b") == {
        "B3": 1, "C3": 1,  # p1: three to six months ago
        "B7": 1, "F7": 1,  # p6: not collected
        "B8": 2, "C8": 1, "F8": 1,
    }  # fmt: skip


def test_q15_living_situation(apr):
    """Spec Q15: adults and heads; header rows 2, 7, 15 and 23 grayed."""
    assert nonzero(apr, "Q15") == {
        "B3": 3, "C3": 3, "B6": 3, "C6": 3,  # p1, p7, p8 place not meant for habitation
        "B8": 1, "D8": 1, "B14": 1, "D14": 1,  # p2 foster care
        "B25": 1, "C25": 1, "B28": 1, "C28": 1,  # p4 rental with subsidy
        "B29": 1, "C29": 1,  # p5 doesn't know
        "B30": 1, "F30": 1,  # p6 not collected
        "B31": 2, "C31": 1, "F31": 1,
        "B32": 7, "C32": 5, "D32": 1, "F32": 1,
    }  # fmt: skip
    assert {"B2", "F7", "C15", "D23"} <= set(apr.tables["Q15"]["grayed"])


def test_q16_cash_income_ranges(apr):
    """Spec Q16: adults only; C reads the annual assessment in its window (p7), C12 stayers not
    yet due (p2, p4), C13 due without one (p8)."""
    assert nonzero(apr, "Q16") == {
        "B2": 4, "B6": 1, "B10": 1, "B14": 6,  # p1 p5 p7 p8 none | p2 $700 | p4 DK
        "C3": 1, "C12": 2, "C13": 1, "C14": 4,
        "D2": 1, "D9": 1, "D14": 2,  # p5 none | p1 $2,500
    }  # fmt: skip


def test_q17_cash_income_sources(apr):
    """Spec Q17: sources marked yes on the same records as Q16; row 17 adults answered at start
    and at the annual assessment (p7) or exit (p1, p5); B17 grayed."""
    assert nonzero(apr, "Q17") == {"B2": 1, "C4": 1, "D13": 1, "C17": 1, "D17": 2}
    assert apr.tables["Q17"]["grayed"] == ["B17"]


def test_q24e_sex(apr):
    """Spec Q24e (FY2026, replaces the gender tables of Q10)."""
    assert nonzero(apr, "Q24e") == {
        "B2": 2, "D2": 2,
        "B3": 5, "C3": 5,
        "B5": 1, "F5": 1,
        "B6": 8, "C6": 5, "D6": 2, "F6": 1,
    }  # fmt: skip


def test_q22a1_length_of_participation(apr):
    """Spec Q22a1: leavers to the exit, stayers to the day after the report end (2025-10-01),
    ES night-by-night by bed nights: p1 165 days, p2/p3 264, p4 2 nights, p5 29, p6 92,
    p7 487, p8 518."""
    assert nonzero(apr, "Q22a1") == {
        "B2": 2, "C2": 1, "D2": 1,  # p5 | p4
        "B5": 2, "C5": 1, "D5": 1,  # p1 | p6
        "B6": 2, "D6": 2,  # p2, p3
        "B7": 2, "D7": 2,  # p7, p8
        "B12": 8, "C12": 2, "D12": 6,
    }  # fmt: skip


def test_q25a_veterans_and_q26b_chronically_homeless_persons(apr):
    """Spec Q25a (adults) and Q26b (everyone), with Q5a row 12's chronic homelessness: p7 is
    chronically homeless; p4's disabling condition is "doesn't know", p5's not collected."""
    assert nonzero(apr, "Q25a") == {
        "B2": 1, "C2": 1,  # p7
        "B3": 1, "C3": 1,  # p8
        "B4": 4, "C4": 3, "D4": 1,  # p1, p4, p5 | p2
        "B7": 6, "C7": 5, "D7": 1,
    }  # fmt: skip
    assert nonzero(apr, "Q26b") == {
        "B2": 1, "C2": 1,  # p7
        "B3": 5, "C3": 2, "D3": 2, "F3": 1,  # p1, p8 | p2, p3 | p6
        "B4": 1, "C4": 1,  # p4
        "B5": 1, "C5": 1,  # p5
        "B6": 8, "C6": 5, "D6": 2, "F6": 1,
    }  # fmt: skip
    assert apr.tables["Q5a"]["cells"]["C12"] == 1


def test_every_drill_down_lists_the_clients_of_its_cell(apr, demo):
    cocadmin = demo.user("cocadmin")
    keys = (
        "Q7b", "Q8b", "Q12", "Q13a1", "Q13b1", "Q13c1", "Q14a", "Q14b", "Q15", "Q16",
        "Q17", "Q22a1", "Q24e", "Q25a", "Q26b",
    )  # fmt: skip
    assert_drill_downs(apr, keys, cocadmin)
    october = drill_down(apr, "Q7b", "B5", cocadmin).rows
    assert {r["personal_id"] for r in october} == {"p1", "p7", "p8"}
    assert [r["exit_date"] for r in october if r["personal_id"] == "p1"] == [D(2024, 11, 10)]
