"""One hand-built fixture per HUD data-quality category (APR/CAPER Q6a–Q6f), cell by cell.

Each test builds a few clean records and a few records with one known defect each, scans the CoC
and compares the count of every rule of the category (HUD's columns B "doesn't know / prefers not
to answer", C "information missing", D "data issues") with the count worked out by hand from
``shared/hud/REFERENCE.md`` §3 (the HUD Reporting Glossary's "HMIS Data Quality Report"). Records
that look wrong but are outside HUD's universe for a cell are built on purpose and must not count.
Every test also checks that no rule outside the category fires (the fixtures are clean otherwise).
"""

from __future__ import annotations

import datetime as dt

import pytest

from dataquality.models import RuleSetting, Scan, ScanResult
from dataquality.rules import RULES_BY_CATEGORY
from dataquality.scans import run_scan
from dataquality.testing import HmisBuilder, at
from hmis import models as hmis

AS_OF = dt.date(2025, 9, 30)
CHILD_DOB = dt.date(2015, 3, 1)


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


@pytest.fixture
def build(demo):
    return HmisBuilder(demo.xx500, demo.agency_a, as_of=AS_OF)


def scan(demo) -> Scan:
    record = Scan.objects.create(coc=demo.xx500, as_of=AS_OF)
    run_scan(record.pk)
    record.refresh_from_db()
    assert record.status == "succeeded", record.error
    return record


def flagged(result: Scan) -> dict[str, int]:
    return {code: n for code, n in result.counts.items() if n}


def cells(result: Scan, category: str) -> dict[str, int]:
    """Every rule of the category with its count (zeros included: they are cells too)."""
    return {rule.code: result.counts[rule.code] for rule in RULES_BY_CATEGORY[category]}


def child_record(build, model, enrollment, **kw):
    """A row of an enrollment-level file (Disabilities, Services, CurrentLivingSituation)."""
    day = kw.get("information_date") or kw.get("date_provided") or enrollment.entry_date
    values = dict(
        source=build.source,
        coc=build.coc,
        hud_enrollment_id=enrollment.enrollment_id,
        personal_id=enrollment.personal_id,
        enrollment=enrollment,
        agency=build.agency,
        date_created=at(day),
        date_updated=at(day),
    )
    values.update(kw)
    return model.objects.create(**values)


def test_q6a_personally_identifiable_information_cell_by_cell(demo, build):
    """REFERENCE.md §3.2 (APR Q6a / DQ Q2): columns B, C, D of Name, SSN, DOB, Race, Sex."""
    build.client()  # clean
    build.client(ssn="xxxxx1234")  # a partial SSN that follows HUD's rules is not an issue
    # Name (3.01): B = NameDataQuality 8/9; C = 99 or a name blank; D = DQ 2.
    build.client(first_name="", last_name="", name_data_quality=8)
    build.client(first_name="", last_name="", name_data_quality=99)
    build.client(last_name="")  # DQ 1 but the last name is missing: C
    build.client(name_data_quality=2)
    # SSN (3.02): B = 8/9; C = 99 or blank; D = fails the validity test.
    build.client(ssn="", ssn_data_quality=9)
    build.client(ssn="", ssn_data_quality=99)
    build.client(ssn="", ssn_data_quality=1)  # blank SSN: missing whatever the DQ says
    build.client(ssn="666123456")  # area 666
    build.client(ssn="123456789")  # a sequential run
    build.client(ssn="12345xxxx")  # last four absent while other digits are present
    # DOB (3.03): B = 8/9 and blank; C = blank otherwise; D = DQ 2, before 1915, after DateCreated.
    build.client(dob=None, dob_data_quality=8)
    build.client(dob=None, dob_data_quality=99)
    build.client(dob_data_quality=2)
    build.client(dob=dt.date(1910, 1, 1))
    build.client(dob=days_ago(10), date_created=at(days_ago(20)))
    # Race and ethnicity (3.04): B = RaceNone 8/9 even with a race marked; C = nothing recorded.
    build.client(white=0, race_none=9)
    build.client(white=1, race_none=8)
    build.client(white=0, race_none=99)
    build.client(white=0, race_none=None)
    # Sex (3.06, FY2026): B = 8/9; C = 99.
    build.client(sex=8)
    build.client(sex=99)

    result = scan(demo)
    assert cells(result, "pii") == {
        "NAME_DKPNTA": 1,
        "NAME_MISSING": 2,
        "NAME_ISSUE": 1,
        "SSN_DKPNTA": 1,
        "SSN_MISSING": 2,
        "SSN_ISSUE": 3,
        "DOB_DKPNTA": 1,
        "DOB_MISSING": 1,
        "DOB_ISSUE": 3,
        "RACE_DKPNTA": 2,
        "RACE_MISSING": 2,
        "SEX_DKPNTA": 1,
        "SEX_MISSING": 1,
    }
    assert set(flagged(result)) <= {r.code for r in RULES_BY_CATEGORY["pii"]}


def test_q6b_universal_data_elements_cell_by_cell(demo, build):
    """REFERENCE.md §3.3 (APR Q6b / DQ Q3): veteran, start date, relationship, CoC, disabling."""
    build.exit(build.enrollment())  # clean leaver
    # Veteran status (3.07): B/C only for adults; D = "yes" on a child.
    build.enrollment(client=build.client(veteran_status=8))
    build.enrollment(client=build.client(veteran_status=99))
    head = build.enrollment(household_id="HV")
    build.enrollment(
        client=build.client(dob=CHILD_DOB, veteran_status=1),
        household_id="HV",
        relationship_to_hoh=2,
        entry_date=head.entry_date,
    )
    build.enrollment(  # a child whose veteran status was not collected is not in B/C's universe
        client=build.client(dob=CHILD_DOB, veteran_status=99),
        household_id="HV",
        relationship_to_hoh=2,
        entry_date=head.entry_date,
    )
    # Project start date (3.10): exit before start; a start inside an earlier stay (same project).
    build.exit(build.enrollment(entry=days_ago(30)), exit_date=days_ago(40))
    twice = build.client()
    build.enrollment(client=twice, entry=days_ago(100))
    build.enrollment(client=twice, entry=days_ago(50))  # the later one is flagged
    again = build.client()  # a new stay after the earlier one ended is fine
    build.exit(build.enrollment(client=again, entry=days_ago(100)), exit_date=days_ago(60))
    build.enrollment(client=again, entry=days_ago(50))
    # Relationship to HoH (3.15): C = missing; D = not 1-5, no head, several heads (all members).
    build.enrollment(household_id="HR")
    build.enrollment(household_id="HR", relationship_to_hoh=99)
    build.enrollment(household_id="HR", relationship_to_hoh=7)
    build.enrollment(household_id="HN", relationship_to_hoh=2)
    build.enrollment(household_id="HN", relationship_to_hoh=3)
    build.enrollment(household_id="HM")
    build.enrollment(household_id="HM")
    # Enrollment CoC (3.16), heads only: C = blank; D = not one of the project's CoC codes.
    build.enrollment(enrollment_coc="")
    build.enrollment(household_id="HC", relationship_to_hoh=1)
    build.enrollment(household_id="HC", relationship_to_hoh=2, enrollment_coc="")  # not a head
    with_coc = build.project(0, project_name="Shelter with a ProjectCoC")
    hmis.ProjectCoC.objects.create(
        source=build.source,
        coc=build.coc,
        project=with_coc,
        project_coc_id="PC1",
        hud_project_id=with_coc.project_id,
        coc_code=demo.xx500.code,
        date_created=at(days_ago(4000)),
        date_updated=at(days_ago(4000)),
    )
    build.enrollment(project=with_coc)  # its code matches
    build.enrollment(project=with_coc, enrollment_coc="XX-999")
    # Disabling condition (3.08): B = 8/9; C = 99; D = 0 while a disability at entry is disabling.
    build.enrollment(disabling_condition=9)
    build.enrollment(disabling_condition=99)
    contradicted = build.enrollment(disabling_condition=0)
    child_record(
        build,
        hmis.Disabilities,
        contradicted,
        disabilities_id="D1",
        information_date=contradicted.entry_date,
        disability_type=6,  # developmental: disabling without IndefiniteAndImpairs
        disability_response=1,
        data_collection_stage=1,
    )
    not_long_term = build.enrollment(disabling_condition=0)
    child_record(
        build,
        hmis.Disabilities,
        not_long_term,
        disabilities_id="D2",
        information_date=not_long_term.entry_date,
        disability_type=5,  # physical, but not long-lasting: no contradiction
        disability_response=1,
        indefinite_and_impairs=0,
        data_collection_stage=1,
    )

    result = scan(demo)
    assert cells(result, "ude") == {
        "VETERAN_DKPNTA": 1,
        "VETERAN_MISSING": 1,
        "VETERAN_ISSUE": 1,
        "EXIT_BEFORE_ENTRY": 1,
        "OVERLAPPING_STAY": 1,
        "RELATIONSHIP_MISSING": 1,
        "RELATIONSHIP_ISSUE": 1,
        "HOUSEHOLD_NO_HEAD": 2,
        "HOUSEHOLD_MULTIPLE_HEADS": 2,
        "ENROLLMENT_COC_MISSING": 1,
        "ENROLLMENT_COC_ISSUE": 1,
        "DISABLING_DKPNTA": 1,
        "DISABLING_MISSING": 1,
        "DISABLING_ISSUE": 1,
    }
    assert set(flagged(result)) <= {r.code for r in RULES_BY_CATEGORY["ude"]}


def test_q6c_income_and_housing_cell_by_cell(demo, build):
    """REFERENCE.md §3.4 (APR Q6c / DQ Q4): destination, income at start, annual and exit."""
    build.exit(build.enrollment())  # clean leaver
    # Destination (3.12), leavers: B = 8/9; C = 30 (no exit interview), 99.
    build.exit(build.enrollment(), destination=8)
    build.exit(build.enrollment(), destination=30)
    build.exit(build.enrollment(), destination=99)
    # Income at start (4.02, stage 1 dated on the start date), adults and heads.
    build.enrollment(income=False)  # no record at all: C
    late = build.enrollment(income=False)
    build.income(late, late.entry_date + dt.timedelta(days=5))  # not on the start date: C
    build.income(build.enrollment(income=False), days_ago(30), answer=99)  # C
    build.income(build.enrollment(income=False), days_ago(30), answer=8)  # B
    build.income(build.enrollment(income=False), days_ago(30), answer=0, earned=1)  # D
    build.income(build.enrollment(income=False), days_ago(30), answer=1)  # D: yes, no source
    build.income(build.enrollment(income=False), days_ago(30), answer=1, ssi=1)  # consistent
    head = build.enrollment(household_id="HI")
    build.enrollment(  # a child who is not the head is outside the universe
        client=build.client(dob=CHILD_DOB),
        household_id="HI",
        relationship_to_hoh=2,
        entry_date=head.entry_date,
        income=False,
    )
    # Income at exit (stage 3 dated on the exit date), adult and head leavers.
    build.exit(build.enrollment(), income=False)  # C
    stay = build.enrollment()
    out = build.exit(stay, income=False)
    build.income(stay, out.exit_date, stage=3, answer=9)  # B
    stay = build.enrollment()
    out = build.exit(stay, income=False)
    build.income(stay, out.exit_date, stage=3, answer=1)  # D
    # Income at annual assessment (stage 5 within 30 days of the anniversary), stayers ≥ 1 year.
    build.enrollment(entry=days_ago(400))  # none at all: C
    due = build.enrollment(entry=days_ago(400))
    build.income(due, due.entry_date + dt.timedelta(days=365), stage=5)  # on the anniversary
    build.enrollment(entry=days_ago(300))  # not a year yet: not due

    result = scan(demo)
    assert cells(result, "income_housing") == {
        "DESTINATION_DKPNTA": 1,
        "DESTINATION_MISSING": 2,
        "INCOME_START_DKPNTA": 1,
        "INCOME_START_MISSING": 3,
        "INCOME_START_ISSUE": 2,
        "INCOME_ANNUAL_MISSING": 1,
        "INCOME_EXIT_DKPNTA": 1,
        "INCOME_EXIT_MISSING": 1,
        "INCOME_EXIT_ISSUE": 1,
    }
    # The stay without any annual assessment is also the integrity check's record.
    assert flagged(result).pop("MISSING_ANNUAL_ASSESSMENT") == 1
    others = set(flagged(result)) - {r.code for r in RULES_BY_CATEGORY["income_housing"]}
    assert others == {"MISSING_ANNUAL_ASSESSMENT"}


def test_q6d_chronic_homelessness_cell_by_cell(demo, build):
    """REFERENCE.md §3.5 (APR Q6d / DQ Q5): 3.917 completeness among those expected to answer."""
    build.enrollment()  # clean, ES entry/exit (row 2)
    # Prior living situation (3.917.1): B = 8/9; C = 99.
    build.enrollment(living_situation=8)
    build.enrollment(living_situation=99)
    # Columns C/D, rows 3-6 only: length of stay unknown after an institution or housing.
    th = build.project(2)
    build.enrollment(project=th, living_situation=215, length_of_stay=99)
    build.enrollment(project=th, living_situation=410, length_of_stay=8)
    build.enrollment(length_of_stay=99)  # row 2 (ES): columns C and D are grayed
    # Columns E-G, among those expected to answer (row 2: everyone).
    build.enrollment(date_to_street_essh=None)
    build.enrollment(times_homeless_past_three_years=8)
    build.enrollment(months_homeless_past_three_years=99)
    # Not expected: TH from housing, stayed a week to a month, not on the street before.
    build.enrollment(
        project=th,
        living_situation=410,
        length_of_stay=4,
        previous_street_essh=0,
        date_to_street_essh=None,
        times_homeless_past_three_years=None,
    )
    # Outside the universe: a child who is not the head; a start before 2016-10-01.
    head = build.enrollment(household_id="HD")
    build.enrollment(
        client=build.client(dob=CHILD_DOB),
        household_id="HD",
        relationship_to_hoh=2,
        entry_date=head.entry_date,
        date_to_street_essh=None,
    )
    old = build.enrollment(entry=dt.date(2016, 9, 1), date_to_street_essh=None)
    build.exit(old, exit_date=dt.date(2016, 9, 20))

    result = scan(demo)
    assert cells(result, "chronic") == {
        "PRIOR_LIVING_DKPNTA": 1,
        "PRIOR_LIVING_MISSING": 1,
        "CH_LENGTH_OF_STAY_MISSING": 2,
        "CH_DATE_TO_STREET_MISSING": 1,
        "CH_TIMES_HOMELESS_MISSING": 1,
        "CH_MONTHS_HOMELESS_MISSING": 1,
    }
    assert set(flagged(result)) <= {r.code for r in RULES_BY_CATEGORY["chronic"]}


def test_q6e_timeliness_cell_by_cell(demo, build):
    """REFERENCE.md §3.6 (APR Q6e / DQ Q6): days from start / exit to DateCreated, HUD buckets."""
    # Project starts entered 0, 2, 5, 10, 11 and 30 days late, and one 2 days before the start.
    for lag in (0, 2, 5, 10, 11, 30, -2):
        build.enrollment(entry=days_ago(60), date_created=at(days_ago(60), lag))
    # Exits entered 0, 4 and 12 days late, and one the day before the exit.
    for lag in (0, 4, 12, -1):
        day = days_ago(20)
        build.exit(build.enrollment(entry=days_ago(50)), exit_date=day, date_created=at(day, lag))

    result = scan(demo)
    assert cells(result, "timeliness") == {
        "LATE_ENTRY": 2,  # 11+ days
        "FUTURE_ENTRY": 1,  # < 0 days
        "LATE_EXIT": 1,
        "FUTURE_EXIT": 1,
    }
    assert set(flagged(result)) <= {r.code for r in RULES_BY_CATEGORY["timeliness"]}
    # The plan's "entered on time" (default: within 3 days) counts HUD's 0 and 1-3 buckets.
    on_time = {
        row["rule"]: (row["records"], row["flagged"])
        for row in ScanResult.objects.filter(scan=result, rule__endswith="_ON_TIME").values(
            "rule", "records", "flagged"
        )
    }
    # (records, not on time): 7 timed starts (5, 10, 11, 30 and -2 days are not on time) plus
    # the 4 starts of the exit cases (entered on the day); 4 exits (4, 12 and -1 are not).
    assert on_time == {"ENTRY_ON_TIME": (11, 5), "EXIT_ON_TIME": (4, 3)}

    # A CoC that counts "late" from 7 days on (one of HUD's bucket edges) sees one more start.
    RuleSetting.objects.filter(coc=demo.xx500, code="LATE_ENTRY").update(threshold=7)
    assert scan(demo).counts["LATE_ENTRY"] == 3


def test_q6f_inactive_records_cell_by_cell(demo, build):
    """REFERENCE.md §3.7 (APR Q6f / DQ Q7): street outreach contacts and ES bed nights, 90 days."""
    outreach, night_by_night = build.project(4), build.project(1)
    Cls, Services = hmis.CurrentLivingSituation, hmis.Services  # noqa: N806
    n = iter(range(1, 100))

    def contact(enrollment, day):
        child_record(
            build,
            Cls,
            enrollment,
            current_living_sit_id=f"CLS{next(n)}",
            information_date=day,
            current_living_situation=116,
        )

    def bed_night(enrollment, day):
        child_record(
            build,
            Services,
            enrollment,
            services_id=f"S{next(n)}",
            date_provided=day,
            record_type=200,
            type_provided=200,
        )

    # Row 2, contact: open SO stays that started more than 90 days before the report end.
    contact(build.enrollment(project=outreach, entry=days_ago(200)), days_ago(120))  # inactive
    build.enrollment(project=outreach, entry=days_ago(200))  # no contact at all: inactive
    contact(build.enrollment(project=outreach, entry=days_ago(200)), days_ago(10))  # active
    build.enrollment(project=outreach, entry=days_ago(60))  # too recent to be in the universe
    gone = build.enrollment(project=outreach, entry=days_ago(200))
    build.exit(gone, exit_date=days_ago(150))  # a leaver is not in the universe
    # Row 3, bed night: open ES night-by-night stays.
    bed_night(build.enrollment(project=night_by_night, entry=days_ago(200)), days_ago(95))
    bed_night(build.enrollment(project=night_by_night, entry=days_ago(200)), days_ago(5))
    build.enrollment(project=night_by_night, entry=days_ago(30))

    result = scan(demo)
    assert cells(result, "inactive") == {"INACTIVE_CONTACT": 2, "INACTIVE_BED_NIGHT": 1}
    assert set(flagged(result)) <= {r.code for r in RULES_BY_CATEGORY["inactive"]}
    # Column B (records) is the universe: 3 open SO stays and 2 NbN stays older than 90 days.
    universe = {
        row["rule"]: row["records"]
        for row in ScanResult.objects.filter(scan=result, category="inactive").values(
            "rule", "records"
        )
    }
    assert universe == {"INACTIVE_CONTACT": 3, "INACTIVE_BED_NIGHT": 2}

    # The CoC may stretch the 90 days (its Data Quality Plan): at 150 days the 120-day gap passes.
    RuleSetting.objects.filter(coc=demo.xx500, code="INACTIVE_CONTACT").update(threshold=150)
    assert scan(demo).counts["INACTIVE_CONTACT"] == 1
