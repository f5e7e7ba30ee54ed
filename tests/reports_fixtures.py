"""Hand-built HMIS records for the report tests (ORM only, no importer).

The scenario (XX-500, PIT night Wednesday 2026-01-28, APR 2025-10-01 – 2026-09-30):

| client | project | household | DOB | entry | exit | notes |
| c1 | A-ES1 (ES-EE, agency A) | H1 | 1985-06-01 | 2026-01-10 | — | single adult |
| c2 | A-ES1 | H2 (HoH) | 1995-03-01 | 2026-01-15 | — | parent |
| c3 | A-ES1 | H2 (child) | 2020-05-05 | 2026-01-15 | — | child, 5 |
| c4 | B-TH (TH, agency B) | H4 | 2003-06-01 | 2025-12-01 | 2026-01-28 | left on the night |
| c5 | B-TH | H5 | 1975-05-01 | 2026-01-01 | — | veteran |
| c6 | A-ES1 | H6 | 1965-01-01 | 2025-11-01 | 2026-01-29 | left the next day |
| c7 | B-PSH (PSH, agency B) | H7 | unknown (99) | 2025-12-15 | — | moved in 2026-01-05 |
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from agencies.models import Project as SetupProject
from hmis.models import (
    Client,
    Enrollment,
    Exit,
    Inventory,
    Organization,
    Project,
    Services,
    Source,
)

D = datetime.date
NIGHT = D(2026, 1, 28)
APR_START, APR_END = D(2025, 10, 1), D(2026, 9, 30)
STAMP = timezone.make_aware(datetime.datetime(2026, 2, 1, 9, 0))


def _stamps(**kwargs) -> dict:
    return {"date_created": STAMP, "date_updated": STAMP, **kwargs}


@dataclass
class Scenario:
    source: Source
    projects: dict[str, Project]
    clients: dict[str, Client]
    enrollments: dict[str, Enrollment]

    def setup_projects(self, *ids: str):
        return SetupProject.objects.filter(hud_project_id__in=ids)


def build_scenario(demo) -> Scenario:
    coc = demo.xx500
    source = Source.objects.create(coc=coc, key="test", name="Test HMIS", software_name="TestHMIS")
    orgs = {}
    for agency in (demo.agency_a, demo.agency_b):
        orgs[agency.hud_organization_id] = Organization.objects.create(
            **_stamps(
                source=source,
                coc=coc,
                organization_id=agency.hud_organization_id,
                organization_name=agency.name,
                victim_service_provider=0,
                agency=agency,
            )
        )
    projects = {}
    for hud_id, org, ptype in (("A-ES1", "A", 0), ("B-TH", "B", 2), ("B-PSH", "B", 3)):
        setup = SetupProject.objects.get(hud_project_id=hud_id)
        projects[hud_id] = Project.objects.create(
            **_stamps(
                source=source,
                coc=coc,
                project_id=hud_id,
                hud_organization_id=org,
                project_name=setup.name,
                operating_start_date=D(2020, 1, 1),
                continuum_project=1,
                project_type=ptype,
                organization=orgs[org],
                agency=setup.agency,
                agency_project=setup,
            )
        )
    people = {
        "c1": (D(1985, 6, 1), 0, 1),
        "c2": (D(1995, 3, 1), 1, 0),
        "c3": (D(2020, 5, 5), 1, 0),
        "c4": (D(2003, 6, 1), 0, 0),
        "c5": (D(1975, 5, 1), 1, 0),
        "c6": (D(1965, 1, 1), 0, 1),
        "c7": (None, 0, 0),
    }
    clients = {}
    for pid, (dob, sex, white) in people.items():
        clients[pid] = Client.objects.create(
            **_stamps(
                source=source,
                coc=coc,
                personal_id=pid,
                first_name=f"First{pid}",
                last_name=f"Last{pid}",
                name_data_quality=1,
                ssn_data_quality=99,
                dob=dob,
                dob_data_quality=1 if dob else 99,
                sex=sex,
                am_ind_ak_native=0,
                asian=0,
                black_af_american=0 if white else 1,
                hispanic_latinao=0,
                mid_east_n_african=0,
                native_hi_pacific=0,
                white=white,
                veteran_status=1 if pid == "c5" else 0,
            )
        )
    stays = [
        ("e1", "c1", "A-ES1", "H1", 1, D(2026, 1, 10), None, None),
        ("e2", "c2", "A-ES1", "H2", 1, D(2026, 1, 15), None, None),
        ("e3", "c3", "A-ES1", "H2", 2, D(2026, 1, 15), None, None),
        ("e4", "c4", "B-TH", "H4", 1, D(2025, 12, 1), D(2026, 1, 28), None),
        ("e5", "c5", "B-TH", "H5", 1, D(2026, 1, 1), None, None),
        ("e6", "c6", "A-ES1", "H6", 1, D(2025, 11, 1), D(2026, 1, 29), None),
        ("e7", "c7", "B-PSH", "H7", 1, D(2025, 12, 15), None, D(2026, 1, 5)),
    ]
    enrollments = {}
    for eid, pid, hud_project, household, rel, entry, exit_date, move_in in stays:
        project = projects[hud_project]
        enrollment = Enrollment.objects.create(
            **_stamps(
                source=source,
                coc=coc,
                enrollment_id=eid,
                personal_id=pid,
                hud_project_id=hud_project,
                entry_date=entry,
                household_id=household,
                relationship_to_hoh=rel,
                move_in_date=move_in,
                client=clients[pid],
                project=project,
                agency=project.agency,
            )
        )
        enrollments[eid] = enrollment
        if exit_date:
            Exit.objects.create(
                **_stamps(
                    source=source,
                    coc=coc,
                    exit_id=f"x{eid}",
                    hud_enrollment_id=eid,
                    personal_id=pid,
                    exit_date=exit_date,
                    destination=410,
                    enrollment=enrollment,
                    agency=project.agency,
                )
            )
    inventory = [
        ("i1", "A-ES1", 1, 4, 4, 1, 1),
        ("i2", "A-ES1", 3, 1, 4, 1, 1),
        ("i3", "B-TH", 1, 1, 1, None, None),
        ("i4", "B-PSH", 1, 1, 1, None, None),
    ]
    for iid, hud_project, htype, units, beds, availability, bed_type in inventory:
        Inventory.objects.create(
            **_stamps(
                source=source,
                coc=coc,
                inventory_id=iid,
                hud_project_id=hud_project,
                coc_code=coc.code,
                household_type=htype,
                availability=availability,
                unit_inventory=units,
                bed_inventory=beds,
                other_bed_inventory=beds,
                es_bed_type=bed_type,
                inventory_start_date=D(2020, 1, 1),
                project=projects[hud_project],
            )
        )
    return Scenario(source, projects, clients, enrollments)


def add_bed_night(scenario: Scenario, eid: str, day: datetime.date) -> Services:
    enrollment = scenario.enrollments[eid]
    return Services.objects.create(
        **_stamps(
            source=scenario.source,
            coc=enrollment.coc,
            services_id=f"s{eid}{day:%m%d}",
            hud_enrollment_id=eid,
            personal_id=enrollment.personal_id,
            date_provided=day,
            record_type=200,
            type_provided=200,
            enrollment=enrollment,
            agency=enrollment.agency,
        )
    )


def build_apr(coc, projects, start: datetime.date, end: datetime.date):
    """A draft APR of ``projects`` (setup projects) for [start, end], built now (one version)."""
    from reports.builder import build_version
    from reports.models import Report

    report = Report.objects.create(
        coc=coc, kind="apr", start=start, end=end, status=Report.Status.DRAFT
    )
    report.projects.set(projects)
    return build_version(report)


def nonzero(version, key: str) -> dict:
    """The cells of table ``key`` that are not zero (what a fixture's comments explain)."""
    return {cell: value for cell, value in version.tables[key]["cells"].items() if value}


def assert_drill_downs(version, keys, user) -> None:
    """Each non-zero drillable cell of the tables ``keys`` lists as many rows as it counts."""
    from reports.drilldown import drill_down

    for key in keys:
        table = version.tables[key]
        for cell in table["drillable"]:
            if table["cells"][cell]:
                drill = drill_down(version, key, cell, user)
                assert len(drill.rows) == table["cells"][cell], (key, cell)
