"""The demo Continuum of Care loaded by ``manage.py load_demo`` (and by ``make run``).

Kept as data so tests, the README and the command agree on what the demo holds. Loading is
idempotent: natural keys are looked up first, and existing people keep their passwords.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, ContinuumOfCare, Project
from hmis.codes import HMISParticipationType as P
from hmis.codes import ProjectType as T
from roles.models import Role, RoleAssignment, User

DEMO_PASSWORD = "demo-pass-2026"
START = datetime.date(2025, 1, 1)

COCS = [
    ("XX-500", "Demo City and County CoC"),
    ("XX-501", "Demo Balance of State CoC"),
]

# (coc, HUD OrganizationID, name, participation, victim service provider)
AGENCIES = [
    ("XX-500", "LEAD", "Demo County Human Services (HMIS Lead)", P.NOT_PARTICIPATING, False),
    ("XX-500", "A", "Agency A — Harbor Light Services", P.HMIS_PARTICIPATING, False),
    ("XX-500", "B", "Agency B — Bridgeway Housing", P.HMIS_PARTICIPATING, False),
    ("XX-500", "C", "Agency C — Eastside Family Center", P.HMIS_PARTICIPATING, False),
    ("XX-500", "D", "Agency D — Safe Harbor DV Services", P.COMPARABLE_DATABASE, True),
    ("XX-500", "E", "Agency E — Northside Community Meals", P.NOT_PARTICIPATING, False),
    ("XX-501", "X", "Agency X — Valley Outreach Network", P.HMIS_PARTICIPATING, False),
]

# (agency OrganizationID, HUD ProjectID, name, HUD ProjectType, participation)
PROJECTS = [
    ("A", "A-ES1", "Harbor Light Emergency Shelter", T.ES_ENTRY_EXIT, P.HMIS_PARTICIPATING),
    ("A", "A-NBN", "Harbor Light Winter Night Shelter", T.ES_NIGHT_BY_NIGHT, P.HMIS_PARTICIPATING),
    ("A", "A-SO", "Harbor Light Street Outreach", T.STREET_OUTREACH, P.HMIS_PARTICIPATING),
    ("B", "B-TH", "Bridgeway Transitional Housing", T.TRANSITIONAL_HOUSING, P.HMIS_PARTICIPATING),
    ("B", "B-PSH", "Bridgeway Permanent Supportive Housing", T.PH_PSH, P.HMIS_PARTICIPATING),
    ("B", "B-RRH", "Bridgeway Rapid Re-Housing", T.PH_RRH, P.HMIS_PARTICIPATING),
    ("C", "C-SH", "Eastside Safe Haven", T.SAFE_HAVEN, P.HMIS_PARTICIPATING),
    ("C", "C-CE", "Eastside Coordinated Entry", T.COORDINATED_ENTRY, P.HMIS_PARTICIPATING),
    (
        "C",
        "C-HP",
        "Eastside Homelessness Prevention",
        T.HOMELESSNESS_PREVENTION,
        P.HMIS_PARTICIPATING,
    ),
    ("D", "D-ES", "Safe Harbor DV Shelter", T.ES_ENTRY_EXIT, P.COMPARABLE_DATABASE),
    ("X", "X-SO", "Valley Street Outreach", T.STREET_OUTREACH, P.HMIS_PARTICIPATING),
    ("X", "X-RRH", "Valley Rapid Re-Housing", T.PH_RRH, P.HMIS_PARTICIPATING),
]

# (username, first, last, works for (CoC code or OrganizationID), role key, scope)
PEOPLE = [
    ("cocadmin", "Casey", "Okafor", "XX-500", "coc_hmis_admin", "XX-500"),
    ("governance", "Gloria", "Reyes", "XX-500", "coc_governance_admin", "XX-500"),
    ("director_a", "Dana", "Whitfield", "A", "agency_executive", "A"),
    ("dqm_a", "Devon", "Alvarez", "A", "agency_hmis_admin", "A"),
    ("staff_a", "Sam", "Nguyen", "A", "agency_program_staff", "A"),
    ("dqm_b", "Morgan", "Baptiste", "B", "agency_hmis_admin", "B"),
    ("director_b", "Beth", "Lindqvist", "B", "agency_executive", "B"),
    ("director_c", "Carlos", "Mendes", "C", "agency_executive", "C"),
    ("committee", "Pat", "Kowalski", "XX-500", "performance_committee", "XX-500"),
    ("cocadmin2", "Robin", "Haddad", "XX-501", "coc_hmis_admin", "XX-501"),
]
# Demo users who log in; the README lists these.
DEMO_USERS = [
    "cocadmin",
    "governance",
    "director_a",
    "dqm_a",
    "staff_a",
    "dqm_b",
    "committee",
    "cocadmin2",
]
# A staff member of Agency C without a role yet: the browser test assigns her and the gap closes.
UNASSIGNED = [("staff_c", "Chris", "Park", "C")]


@transaction.atomic
def load_demo(today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    created = {"cocs": 0, "agencies": 0, "projects": 0, "users": 0, "assignments": 0}
    cocs = {}
    for code, name in COCS:
        cocs[code], new = ContinuumOfCare.objects.get_or_create(code=code, defaults={"name": name})
        created["cocs"] += new
    agencies = {}
    for coc_code, org_id, name, participation, vsp in AGENCIES:
        agencies[org_id], new = Agency.objects.get_or_create(
            coc=cocs[coc_code],
            hud_organization_id=org_id,
            defaults={
                "name": name,
                "participation_status": participation,
                "victim_service_provider": vsp,
                "joined_on": START,
            },
        )
        created["agencies"] += new
    lead = cocs["XX-500"]
    if lead.hmis_lead_id is None:
        lead.hmis_lead = agencies["LEAD"]
        lead.save(update_fields=["hmis_lead", "updated"])
    for org_id, project_id, name, project_type, participation in PROJECTS:
        _, new = Project.objects.get_or_create(
            agency=agencies[org_id],
            hud_project_id=project_id,
            defaults={
                "name": name,
                "project_type": project_type,
                "operating_start": START,
                "hmis_participation": participation,
            },
        )
        created["projects"] += new

    def person(username, first, last, works_for):
        defaults = {"first_name": first, "last_name": last, "email": f"{username}@example.org"}
        if works_for in cocs:
            defaults["coc"] = cocs[works_for]
        else:
            defaults["agency"] = agencies[works_for]
        user, new = User.objects.get_or_create(username=username, defaults=defaults)
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save()
        created["users"] += new
        return user

    if not Role.objects.exists():
        # The catalogue comes with a migration; a database flushed since (as transactional tests
        # do) has lost it, so put it back before assigning anything.
        from django.apps import apps as django_apps

        from roles.catalogue import apply_catalogue

        apply_catalogue(django_apps)
    roles = {role.key: role for role in Role.objects.all()}
    admin = None
    for username, first, last, works_for, role_key, scope in PEOPLE:
        user = person(username, first, last, works_for)
        scope_kwargs = {"coc": cocs[scope]} if scope in cocs else {"agency": agencies[scope]}
        _, new = RoleAssignment.objects.get_or_create(
            user=user,
            role=roles[role_key],
            **scope_kwargs,
            defaults={"starts_on": START, "assigned_by": admin},
        )
        created["assignments"] += new
        if username == "cocadmin":
            admin = user
    for username, first, last, works_for in UNASSIGNED:
        person(username, first, last, works_for)
    # A vendor contact whose assignment ends soon: the who-does-what page warns about it.
    vendor = person("vendor", "Vic", "Tran", "XX-500")
    _, new = RoleAssignment.objects.get_or_create(
        user=vendor,
        role=roles["hmis_vendor"],
        coc=cocs["XX-500"],
        defaults={
            "starts_on": START,
            "ends_on": today + datetime.timedelta(days=21),
            "assigned_by": admin,
            "note": "Vendor support contract ends this month.",
        },
    )
    created["assignments"] += new
    return created
