"""APR Q9a, Q9b, Q13a2, Q13b2, Q13c2, Q26e and Q27m from hand-built records, every cell
(HUD CoC APR/ESG CAPER HMIS Programming Specifications FY2026 V1.0).

Report range 2024-10-01 – 2025-09-30. Three reports, each with only the clients of its
questions (so that every cell of every table can be stated): contacts (Q9), health (Q13 "number
of conditions", Q26e) and youth (Q27m). DOB 1980 unless said.

Contacts (street outreach unless said; CLS = CurrentLivingSituation record, its code in
brackets; DOE = date of engagement):
- s1: from 2025-01-10, no DOE; CLS 01-10 [116], 02-01 [116], 03-01 [101]: 3 contacts, first
  on the street -> D3.
- s2: from 2024-08-01; CLS 2024-08-01 [410], 2024-09-01 [116], 2024-11-01 [116]; DOE
  2024-12-01 with no CLS that day: 3 + 1 = 4 contacts (the two before the range count), first
  housed -> C3; engaged in the range.
- s3: from 2025-02-01, DOE that day, no CLS: the DOE is the only contact -> E2; engaged.
  s3c: s3's child (born 2015) with a CLS of its own: not an adult or head, not counted.
- s4: ES night-by-night from 2025-03-01 (a bed night on 03-01), no DOE; 12 daily CLS from
  03-01, the first [37] worker unable to determine -> E5.
- s5: from 2025-05-01; CLS 2025-04-20 (before the start, not counted), 05-01 [215], 05-03,
  05-05, 05-07, 05-09, 05-11, 05-20 [116], 05-25 (after the DOE, not counted); DOE 05-20 with a
  CLS that day: 7 contacts, first institutional -> C4; engaged.
- s6: ES entry/exit with a CLS: not a Q9 project type.
- s7: from 2023-01-01, DOE 2024-06-01, CLS 2024-05-01: no contact and no DOE in the range.
- s8: from 2025-06-01 to 2025-06-15; CLS 06-01 [17] "other", 06-20 after the exit: C2.
- s9: from 2025-09-01, DOE 2025-10-05 (after the end: not a contact); CLS 09-10 [118]: D2.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dataquality.testing import HmisBuilder, at
from hmis import models as hmis
from reports.drilldown import drill_down
from tests.factories import ProjectFactory
from tests.reports_fixtures import assert_drill_downs, build_apr, nonzero

D = dt.date
START, END = D(2024, 10, 1), D(2025, 9, 30)
KEYS = {
    hmis.Disabilities: "disabilities_id",
    hmis.Services: "services_id",
    hmis.CurrentLivingSituation: "current_living_sit_id",
    hmis.YouthEducationStatus: "youth_education_status_id",
}


def record(build, model, enrollment, **values):
    """A row of an enrollment-level file with the builder's source and stamps."""
    model.objects.create(
        **{KEYS[model]: f"R{model.objects.count()}{enrollment.enrollment_id}"},
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


class World:
    """The builder, one agency project per project type and the report over them."""

    def __init__(self, demo, types):
        self.build = HmisBuilder(demo.xx500, demo.agency_a, as_of=END)
        self.setups = {t: ProjectFactory(agency=demo.agency_a, project_type=t) for t in types}
        self.demo = demo

    def stay(self, name, ptype, entry, client=None, project=None, **kw):
        client = client or self.build.client(personal_id=name)
        project = project or self.build.project(ptype, agency_project=self.setups[ptype])
        return self.build.enrollment(client=client, project=project, entry=entry, **kw)

    def version(self):
        return build_apr(self.demo.xx500, self.setups.values(), START, END)


# --- Q9a / Q9b ---
@pytest.fixture
def contacts(demo):
    w = World(demo, (0, 1, 4))

    def cls(enrollment, day, situation=116):
        record(
            w.build,
            hmis.CurrentLivingSituation,
            enrollment,
            information_date=day,
            current_living_situation=situation,
        )

    s1 = w.stay("s1", 4, D(2025, 1, 10), date_of_engagement=None)
    cls(s1, D(2025, 1, 10))
    cls(s1, D(2025, 2, 1))
    cls(s1, D(2025, 3, 1), 101)
    s2 = w.stay("s2", 4, D(2024, 8, 1), date_of_engagement=D(2024, 12, 1))
    cls(s2, D(2024, 8, 1), 410)
    cls(s2, D(2024, 9, 1))
    cls(s2, D(2024, 11, 1))
    w.stay("s3", 4, D(2025, 2, 1), household_id="HS3")
    child = w.build.client(personal_id="s3c", dob=D(2015, 5, 5))
    s3c = w.stay("s3c", 4, D(2025, 2, 1), client=child, household_id="HS3", relationship_to_hoh=2)
    cls(s3c, D(2025, 2, 1))
    s4 = w.stay("s4", 1, D(2025, 3, 1))
    record(
        w.build,
        hmis.Services,
        s4,
        date_provided=D(2025, 3, 1),
        record_type=200,
        type_provided=200,
    )
    for i in range(12):
        cls(s4, D(2025, 3, 1) + dt.timedelta(days=i), 37 if i == 0 else 116)
    s5 = w.stay("s5", 4, D(2025, 5, 1), date_of_engagement=D(2025, 5, 20))
    cls(s5, D(2025, 4, 20), 101)
    cls(s5, D(2025, 5, 1), 215)
    for day in (3, 5, 7, 9, 11, 20, 25):
        cls(s5, D(2025, 5, day))
    s6 = w.stay("s6", 0, D(2025, 3, 1))
    cls(s6, D(2025, 3, 1))
    s7 = w.stay("s7", 4, D(2023, 1, 1), date_of_engagement=D(2024, 6, 1))
    cls(s7, D(2024, 5, 1))
    s8 = w.stay("s8", 4, D(2025, 6, 1), date_of_engagement=None)
    w.build.exit(s8, D(2025, 6, 15))
    cls(s8, D(2025, 6, 1), 17)
    cls(s8, D(2025, 6, 20))
    s9 = w.stay("s9", 4, D(2025, 9, 1), date_of_engagement=D(2025, 10, 5))
    cls(s9, D(2025, 9, 10), 118)
    return w.version()


def test_q9a_q9b_contacts_and_engagements(contacts, demo):
    """Spec Q9a: rows by number of contacts (the DOE counts when no CLS is on it), columns by
    the situation of the first counted contact; s3c (child), s6 (ES entry/exit) and s7 (nothing
    in the range) are not counted."""
    q9a = contacts.tables["Q9a"]
    assert [n for n, _label in q9a["rows"]] == [2, 3, 4, 5, 6]
    assert [c for c, _header in q9a["columns"]] == ["B", "C", "D", "E"]
    assert nonzero(contacts, "Q9a") == {
        "B2": 3, "C2": 1, "D2": 1, "E2": 1,  # s8 other | s9 safe haven | s3 DOE only
        "B3": 2, "C3": 1, "D3": 1,  # s2 (3 CLS + DOE, first housed) | s1 (3, street)
        "B4": 1, "C4": 1,  # s5: 7 contacts up to the DOE, first in an institution
        "B5": 1, "E5": 1,  # s4: 12 contacts, first "worker unable to determine"
        "B6": 7, "C6": 3, "D6": 2, "E6": 2,
    }  # fmt: skip
    assert "Q9a" in q9a["source"]
    # Spec Q9b: the same cells for persons with a DOE in the range (s2, s3, s5); row 7 is each
    # column's total over Q9a's: 3/7, 2/3, 0/2, 1/2.
    assert nonzero(contacts, "Q9b") == {
        "B2": 1, "E2": 1,  # s3
        "B3": 1, "C3": 1,  # s2
        "B4": 1, "C4": 1,  # s5
        "B6": 3, "C6": 2, "E6": 1,
        "B7": 0.4286, "C7": 0.6667, "E7": 0.5,
    }  # fmt: skip
    q9b = contacts.tables["Q9b"]
    assert q9b["cells"]["D7"] == 0.0
    assert "B7" not in q9b["drillable"]
    assert_drill_downs(contacts, ("Q9a", "Q9b"), demo.user("cocadmin"))
    cocadmin = demo.user("cocadmin")
    e2 = drill_down(contacts, "Q9a", "E2", cocadmin).rows
    assert [r["personal_id"] for r in e2] == ["s3"]


# --- Q13a2 / Q13b2 / Q13c2 and Q26e ---
@pytest.fixture
def health(demo):
    """c1: ES leaver (2024-11-01 – 2025-02-01), chronically homeless (disabled, on the street
    since 400 days before the start); at start mental health + alcohol and drug use (3
    conditions), at exit physical disability (1).
    c2: PSH head from 2025-01-10 with c3 (born 2017), chronically homeless; no records at start,
    disabling condition yes; update 2025-06-01: HIV/AIDS and chronic health condition (2);
    a later update after the report end (mental health) is not read.
    c3: c2's child, chronically homeless through the household; developmental disability at
    start (1).
    c4: ES stayer from 2025-03-01; start records all no / doesn't know; disabling condition
    doesn't know.
    c5: ES leaver (2025-04-01 – 2025-05-01) without records; disabling condition not collected.
    c6: ES stayer from 2025-07-01 without records; disabling condition no.
    """
    w = World(demo, (0, 3))

    def disability(enrollment, dtype, response, stage, day):
        record(
            w.build,
            hmis.Disabilities,
            enrollment,
            information_date=day,
            disability_type=dtype,
            disability_response=response,
            data_collection_stage=stage,
        )

    entry1 = D(2024, 11, 1)
    c1 = w.stay(
        "c1",
        0,
        entry1,
        disabling_condition=1,
        date_to_street_essh=entry1 - dt.timedelta(days=400),
    )
    disability(c1, 9, 1, 1, entry1)
    disability(c1, 10, 3, 1, entry1)
    disability(c1, 5, 0, 1, entry1)
    w.build.exit(c1, D(2025, 2, 1))
    disability(c1, 5, 1, 3, D(2025, 2, 1))
    disability(c1, 9, 0, 3, D(2025, 2, 1))
    entry2 = D(2025, 1, 10)
    c2 = w.stay(
        "c2",
        3,
        entry2,
        household_id="HC2",
        disabling_condition=1,
        date_to_street_essh=entry2 - dt.timedelta(days=500),
    )
    disability(c2, 8, 1, 2, D(2025, 6, 1))
    disability(c2, 7, 1, 2, D(2025, 6, 1))
    disability(c2, 9, 1, 2, D(2025, 10, 15))
    c3 = w.stay(
        "c3",
        3,
        entry2,
        client=w.build.client(personal_id="c3", dob=D(2017, 3, 3)),
        household_id="HC2",
        relationship_to_hoh=2,
    )
    disability(c3, 6, 1, 1, entry2)
    c4 = w.stay("c4", 0, D(2025, 3, 1), disabling_condition=8)
    disability(c4, 9, 0, 1, D(2025, 3, 1))
    disability(c4, 10, 8, 1, D(2025, 3, 1))
    c5 = w.stay("c5", 0, D(2025, 4, 1), disabling_condition=99)
    w.build.exit(c5, D(2025, 5, 1))
    w.stay("c6", 0, D(2025, 7, 1), disabling_condition=0)
    return w.version()


def test_q13a2_q13b2_q13c2_number_of_conditions(health, demo):
    """Spec Q13a2: 4.10 "both" counts twice (c1: 3); without a yes, 3.08 decides: c2 yes ->
    condition unknown, c4 doesn't know, c5 not collected, c6 no -> none. Columns split the
    mixed household (D adults, E children)."""
    assert [n for n, _label in health.tables["Q13a2"]["rows"]] == list(range(2, 10))
    assert nonzero(health, "Q13a2") == {
        "B2": 1, "C2": 1,  # c6
        "B3": 1, "E3": 1,  # c3 developmental
        "B5": 1, "C5": 1,  # c1 mental health + both substance disorders
        "B6": 1, "D6": 1,  # c2
        "B7": 1, "C7": 1,  # c4
        "B8": 1, "C8": 1,  # c5
        "B9": 6, "C9": 4, "D9": 1, "E9": 1,
    }  # fmt: skip
    # Spec Q13b2: leavers' stage-3 records: c1 physical only (mental health no) -> 1; c5 has
    # none and 3.08 not collected.
    assert nonzero(health, "Q13b2") == {
        "B3": 1, "C3": 1,  # c1
        "B8": 1, "C8": 1,  # c5
        "B9": 2, "C9": 2,
    }  # fmt: skip
    # Spec Q13c2: stayers' records of the latest date up to the report end (stages 1, 2, 5):
    # c2's 2025-06-01 update (HIV, chronic health: 2; its 2025-10-15 record is after the end),
    # c3's start record (1), c4's start records (no yes: 3.08 doesn't know), c6 none (no).
    assert nonzero(health, "Q13c2") == {
        "B2": 1, "C2": 1,  # c6
        "B3": 1, "E3": 1,  # c3
        "B4": 1, "D4": 1,  # c2
        "B7": 1, "C7": 1,  # c4
        "B9": 4, "C9": 2, "D9": 1, "E9": 1,
    }  # fmt: skip
    assert_drill_downs(health, ("Q13a2", "Q13b2", "Q13c2"), demo.user("cocadmin"))


def test_q26e_conditions_of_chronically_homeless_persons(health, demo):
    """Spec Q26e: chronically homeless c1, c2, c3 (Q26b's definition); B start records (Q13a1),
    C latest records of stayers (Q13c1), D exit records of leavers (Q13b1)."""
    assert health.tables["Q5a"]["cells"]["C12"] == 3
    assert nonzero(health, "Q26e") == {
        "B2": 1, "B5": 1,  # c1 mental health, both substance use disorders
        "B8": 1,  # c3 developmental
        "C6": 1, "C7": 1,  # c2 chronic health, HIV/AIDS
        "C8": 1,  # c3
        "D9": 1,  # c1 physical disability at exit
    }  # fmt: skip
    q26e = health.tables["Q26e"]
    assert [c for c, _h in q26e["columns"]] == ["B", "C", "D"]
    assert q26e["rows"][3] == [5, "Both Drug and Alcohol Use Disorders"]
    assert_drill_downs(health, ("Q26e",), demo.user("cocadmin"))


# --- Q27m ---
@pytest.fixture
def youth(demo):
    """Heads of household leaving a YHDP-funded (funder 43) TH unless said; leavers exit
    2025-06-01. YES = YouthEducationStatus record (stage 1 at start, 3 at exit).
    - y1 (born 2004): start not enrolled, K12 dropped out; exit attending, pursuing a diploma.
    - y2 (born 2005) with a child (born 2024): start enrolled not attending, pursuing an
      associate degree; no exit record.
    - y3 (born 2002): a stayer. y4 (born 2002): a TH funded by CoC TH (5) only.
    - y5 (born 2003) with an adult of 45 in the household: not a youth household.
    - y6 (born 2008, a minor head): YHDP services only (6); start doesn't know; exit not
      enrolled, most recent status not collected.
    - y7 (born 2001): YHDP emergency shelter, not a Q27m project type.
    """
    w = World(demo, (0, 2, 6))
    build = w.build

    def project(ptype, funder, name):
        p = build.project(ptype, agency_project=w.setups[ptype], project_name=name)
        hmis.Funder.objects.create(
            source=build.source,
            coc=build.coc,
            funder_id=f"F{p.project_id}",
            hud_project_id=p.project_id,
            project=p,
            funder=funder,
            grant_id="G1",
            start_date=D(2024, 1, 1),
            date_created=at(D(2024, 1, 1)),
            date_updated=at(D(2024, 1, 1)),
        )
        return p

    yhdp_th = project(2, 43, "YHDP TH")
    coc_th = project(2, 5, "CoC TH")
    yhdp_sso = project(6, 43, "YHDP SSO")
    yhdp_es = project(0, 43, "YHDP ES")

    def youth_stay(name, born, project, exit=True, **kw):
        client = build.client(personal_id=name, dob=born)
        e = w.stay(name, project.project_type, D(2025, 1, 15), client=client, project=project, **kw)
        if exit:
            build.exit(e, D(2025, 6, 1))
        return e

    def yes(enrollment, stage, attend, recent=None, current=None):
        record(
            build,
            hmis.YouthEducationStatus,
            enrollment,
            information_date=D(2025, 1, 15) if stage == 1 else D(2025, 6, 1),
            current_school_attend=attend,
            most_recent_ed_status=recent,
            current_ed_status=current,
            data_collection_stage=stage,
        )

    y1 = youth_stay("y1", D(2004, 6, 1), yhdp_th)
    yes(y1, 1, 0, recent=2)
    yes(y1, 3, 2, current=0)
    y2 = youth_stay("y2", D(2005, 2, 2), yhdp_th, household_id="HY2")
    yes(y2, 1, 1, current=1)
    baby = build.client(personal_id="y2c", dob=D(2024, 3, 3))
    e = w.stay(
        "y2c",
        2,
        D(2025, 1, 15),
        client=baby,
        project=yhdp_th,
        household_id="HY2",
        relationship_to_hoh=2,
    )
    build.exit(e, D(2025, 6, 1))
    y3 = youth_stay("y3", D(2002, 1, 1), yhdp_th, exit=False)
    yes(y3, 1, 0, recent=0)
    y4 = youth_stay("y4", D(2002, 1, 1), coc_th)
    yes(y4, 1, 0, recent=0)
    y5 = youth_stay("y5", D(2003, 1, 1), yhdp_th, household_id="HY5")
    yes(y5, 1, 0, recent=0)
    adult = build.client(personal_id="y5a", dob=D(1980, 1, 1))
    w.stay(
        "y5a",
        2,
        D(2025, 1, 15),
        client=adult,
        project=yhdp_th,
        household_id="HY5",
        relationship_to_hoh=3,
    )
    y6 = youth_stay("y6", D(2008, 1, 1), yhdp_sso)
    yes(y6, 1, 8)
    yes(y6, 3, 0, recent=99)
    y7 = youth_stay("y7", D(2001, 1, 1), yhdp_es)
    yes(y7, 1, 0, recent=0)
    return w.version()


def test_q27m_education_status_of_youth(youth, demo):
    """Spec Q27m: youth heads leaving YHDP TH/PSH/SO/SSO/RRH projects (y1, y2, y6); rows 8-17
    only for those not enrolled, 19-25 for those enrolled; rows 7 and 18 grayed."""
    q27m = youth.tables["Q27m"]
    assert [n for n, _label in q27m["rows"]] == list(range(2, 27))
    assert q27m["grayed"] == ["B18", "B7", "C18", "C7"]
    assert nonzero(youth, "Q27m") == {
        "B2": 1, "B10": 1,  # y1 not enrolled, K12 dropped out
        "B3": 1, "B20": 1,  # y2 enrolled not attending, associate degree
        "B5": 1,  # y6 doesn't know
        "B26": 3,
        "C2": 1, "C17": 1,  # y6 not enrolled, most recent status not collected
        "C4": 1, "C19": 1,  # y1 attending, pursuing a high school diploma or GED
        "C6": 1,  # y2 no exit record
        "C26": 3,
    }  # fmt: skip
    assert_drill_downs(youth, ("Q27m",), demo.user("cocadmin"))
    cocadmin = demo.user("cocadmin")
    total = drill_down(youth, "Q27m", "B26", cocadmin).rows
    assert sorted(r["personal_id"] for r in total) == ["y1", "y2", "y6"]
