"""PIT and HIC from hand-built records (REFERENCE §5.2–§5.4), drill-downs and isolation."""

import pytest

from reports.builder import build_version
from reports.drilldown import drill_down
from reports.models import Report
from tests.reports_fixtures import NIGHT, build_scenario


@pytest.fixture
def scenario(demo):
    return build_scenario(demo)


def make_report(demo, scenario, kind, **dates):
    report = Report.objects.create(coc=demo.xx500, kind=kind, status=Report.Status.DRAFT, **dates)
    report.projects.set(scenario.setup_projects("A-ES1", "B-TH", "B-PSH"))
    return report


def test_pit_counts_who_slept_in_es_th_sh_on_the_night(demo, scenario):
    """REFERENCE §5.2: present = entered on/before the night, not exited before next morning;
    PSH residents are housed (not counted); c4 exited on the night (not counted)."""
    version = build_version(make_report(demo, scenario, "pit", night=NIGHT))
    totals = version.api_summary["totals"]
    assert totals["persons"] == 5  # c1, c2, c3, c5, c6
    assert totals["households"] == 4  # heads c1, c2, c5, c6
    assert totals["by_project_type"] == {"ES": 4, "TH": 1, "SH": 0}
    ao = version.tables["PIT_AO"]["cells"]
    assert (ao["B2"], ao["C2"], ao["E2"]) == (2, 1, 3)  # households without children
    assert (ao["B3"], ao["C3"], ao["E3"]) == (2, 1, 3)  # persons
    ac = version.tables["PIT_AC"]["cells"]
    assert (ac["B2"], ac["B3"], ac["B4"]) == (1, 2, 1)  # 1 household, 2 persons, 1 child
    vet = version.tables["PIT_VET"]["cells"]
    assert (vet["C2"], vet["C4"], vet["E4"]) == (1, 1, 1)
    per_project = {p["hud_project_id"]: p["persons"] for p in version.api_summary["projects"]}
    assert per_project == {"A-ES1": 4, "B-TH": 1}


def test_every_pit_drill_down_lists_as_many_rows_as_its_cell(demo, scenario):
    version = build_version(make_report(demo, scenario, "pit", night=NIGHT))
    cocadmin = demo.user("cocadmin")
    for key, table in version.tables.items():
        for cell in table["drillable"]:
            drill = drill_down(version, key, cell, cocadmin)
            assert len(drill.rows) + drill.hidden == table["cells"][cell], (key, cell)
            assert drill.hidden == 0


def test_an_agency_sees_its_own_rows_and_only_the_total_of_others(demo, scenario):
    version = build_version(make_report(demo, scenario, "pit", night=NIGHT))
    dqm_b = demo.user("dqm_b")
    es = drill_down(version, "PIT_AO", "B3", dqm_b)  # Agency A's shelter
    assert es.rows == [] and es.hidden == 2
    th = drill_down(version, "PIT_AO", "C3", dqm_b)  # Agency B's own TH
    assert [r["personal_id"] for r in th.rows] == ["c5"] and th.hidden == 0


def test_names_show_only_to_users_with_the_pii_permission(demo, scenario):
    version = build_version(make_report(demo, scenario, "pit", night=NIGHT))
    with_pii = drill_down(version, "PIT_AO", "B3", demo.user("staff_a"))
    assert {r["name"] for r in with_pii.rows} == {"Firstc1 Lastc1", "Firstc6 Lastc6"}
    director = drill_down(version, "PIT_AO", "B3", demo.user("director_a"))
    assert {r["name"] for r in director.rows} == {None}


def test_night_by_night_shelters_count_from_bed_nights(demo, scenario):
    from tests.reports_fixtures import add_bed_night

    es = scenario.projects["A-ES1"]
    es.project_type = 1
    es.save()
    add_bed_night(scenario, "e1", NIGHT)  # only c1 has a bed night that night
    version = build_version(make_report(demo, scenario, "pit", night=NIGHT))
    assert version.api_summary["totals"]["by_project_type"]["ES"] == 1


def test_hic_reports_beds_units_pit_count_and_utilization_with_warnings(demo, scenario):
    """REFERENCE §5.3/§5.4: beds from Inventory active that night; utilization = PIT ÷ beds."""
    version = build_version(make_report(demo, scenario, "hic", night=NIGHT))
    projects = {p["hud_project_id"]: p for p in version.api_summary["projects"]}
    es = projects["A-ES1"]
    assert (es["beds"], es["units"], es["pit_count"], es["utilization"]) == (8, 5, 4, 0.5)
    assert (projects["B-TH"]["pit_count"], projects["B-TH"]["utilization"]) == (1, 1.0)
    # The PSH resident who moved in counts in the PSH's beds (not in the PIT).
    assert projects["B-PSH"]["pit_count"] == 1
    assert any("below 65%" in w and "A-ES1" in w for w in version.warnings)
    hic = version.tables["HIC"]
    row = next(n for n, _label in hic["rows"] if hic["cells"][f"B{n}"] == "A-ES1")
    assert hic["cells"][f"D{row}"] == 4 and hic["cells"][f"E{row}"] == 1
    drill = drill_down(version, "HIC", f"N{row}", demo.user("cocadmin"))
    assert len(drill.rows) == 4


def test_pit_statement_count_does_not_grow_with_clients(
    demo, scenario, django_assert_max_num_queries
):
    report = make_report(demo, scenario, "pit", night=NIGHT)
    with django_assert_max_num_queries(40):
        build_version(report)
