"""The permission matrix: every endpoint and page × every demo role → the expected status.

Each row names a route (the URL name the self-check test looks for), how to call it, and the
status each demo role gets. ``anon`` is a visitor without a login. Rows are data so that the
self-check can prove every route of the app has one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

ALL_IN_XX500 = ["cocadmin", "governance", "director_a", "dqm_a", "staff_a", "dqm_b", "committee"]


@dataclass
class Row:
    route: str  # URL name, e.g. "agency-detail" or "agencies:agency"
    method: str
    url: Callable  # demo -> path
    expect: dict[str, int]
    body: Callable | None = None  # demo -> request body
    api: bool = True
    label: str = ""
    note: str = field(default="")

    @property
    def id(self) -> str:
        return self.label or f"{self.method} {self.route}"


def statuses(default: int, anon: int, **overrides: int) -> dict[str, int]:
    """Every demo role gets ``default`` unless named in ``overrides``."""
    expect = {name: default for name in [*ALL_IN_XX500, "cocadmin2"]}
    expect.update(overrides)
    expect["anon"] = anon
    return expect


def today() -> str:
    return datetime.date.today().isoformat()


def agency_body(demo):
    return {"coc": demo.xx500.pk, "name": "New Agency", "hud_organization_id": "NEW1"}


def project_body(demo):
    return {
        "agency": demo.agency_a.pk,
        "name": "New Project",
        "hud_project_id": "NEWP",
        "project_type": 2,
        "operating_start": "2025-07-01",
    }


def user_body(demo):
    return {"username": "newperson", "agency": demo.agency_a.pk, "first_name": "New"}


def assignment_body(demo):
    return {
        "user": demo.user("staff_a").pk,
        "role": _role_id("agency_hmis_admin"),
        "agency": demo.agency_a.pk,
        "starts_on": today(),
    }


def _role_id(key: str) -> int:
    from roles.models import Role

    return Role.objects.get(key=key).pk


def staff_a_assignment(demo) -> int:
    return demo.assignment("staff_a").pk


def api(name, *args):
    return lambda demo: reverse(f"{name}", args=[a(demo) if callable(a) else a for a in args])


def coc500(demo):
    return demo.xx500.pk


def agency_a(demo):
    return demo.agency_a.pk


def project_a(demo):
    return demo.project_a.pk


def staff_a(demo):
    return demo.user("staff_a").pk


def role_1(demo):
    return _role_id("coc_hmis_admin")


# Roles with a CoC-wide view of XX-500; agency-scoped roles see only their agency.
COC_WIDE = {"cocadmin": 200, "governance": 200, "committee": 200}

API_ROWS = [
    # --- CoCs ---
    Row("coc-list", "GET", api("coc-list"), statuses(200, 401)),
    Row("coc-detail", "GET", api("coc-detail", coc500), statuses(200, 401, cocadmin2=404)),
    Row(
        "coc-detail",
        "PATCH",
        api("coc-detail", coc500),
        statuses(403, 401, cocadmin=200, cocadmin2=404),
        body=lambda demo: {"name": "Renamed CoC"},
    ),
    Row(
        "coc-detail",
        "DELETE",
        api("coc-detail", coc500),
        statuses(403, 401, cocadmin2=404),
        label="DELETE coc-detail (superuser only)",
    ),
    Row(
        "coc-list",
        "POST",
        api("coc-list"),
        statuses(403, 401),
        body=lambda demo: {"code": "XX-502", "name": "New CoC"},
        label="POST coc-list (superuser only)",
    ),
    Row(
        "coc-responsibilities",
        "GET",
        api("coc-responsibilities", coc500),
        statuses(200, 401, cocadmin2=404),
    ),
    # --- Agencies ---
    Row("agency-list", "GET", api("agency-list"), statuses(200, 401)),
    Row(
        "agency-detail",
        "GET",
        api("agency-detail", agency_a),
        statuses(404, 401, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
    ),
    Row(
        "agency-list",
        "POST",
        api("agency-list"),
        statuses(403, 401, cocadmin=201, cocadmin2=400),
        body=agency_body,
    ),
    Row(
        "agency-detail",
        "PATCH",
        api("agency-detail", agency_a),
        statuses(403, 401, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"name": "Agency A renamed"},
    ),
    Row(
        "agency-detail",
        "PUT",
        api("agency-detail", agency_a),
        statuses(403, 401, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {
            "coc": demo.xx500.pk,
            "name": "Agency A",
            "hud_organization_id": "A",
        },
    ),
    Row(
        "agency-detail",
        "DELETE",
        api("agency-detail", agency_a),
        statuses(403, 401, cocadmin=204, dqm_b=404, cocadmin2=404),
    ),
    # --- Projects ---
    Row("project-list", "GET", api("project-list"), statuses(200, 401)),
    Row(
        "project-detail",
        "GET",
        api("project-detail", project_a),
        statuses(404, 401, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
    ),
    Row(
        "project-list",
        "POST",
        api("project-list"),
        statuses(403, 401, cocadmin=201, dqm_b=400, cocadmin2=400),
        body=project_body,
    ),
    Row(
        "project-detail",
        "PATCH",
        api("project-detail", project_a),
        statuses(403, 401, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"name": "Shelter renamed"},
    ),
    Row(
        "project-detail",
        "PUT",
        api("project-detail", project_a),
        statuses(403, 401, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {**project_body(demo), "hud_project_id": "A-ES1"},
    ),
    Row(
        "project-detail",
        "DELETE",
        api("project-detail", project_a),
        statuses(403, 401, cocadmin=204, dqm_b=404, cocadmin2=404),
    ),
    # --- Users ---
    Row("user-list", "GET", api("user-list"), statuses(200, 401)),
    Row(
        "user-detail",
        "GET",
        api("user-detail", staff_a),
        statuses(404, 401, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
    ),
    Row(
        "user-list",
        "POST",
        api("user-list"),
        statuses(403, 401, cocadmin=201, dqm_a=201, dqm_b=400, cocadmin2=400),
        body=user_body,
    ),
    Row(
        "user-detail",
        "PATCH",
        api("user-detail", staff_a),
        statuses(403, 401, cocadmin=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"job_title": "Case manager"},
    ),
    Row(
        "user-detail",
        "PUT",
        api("user-detail", staff_a),
        statuses(403, 401, cocadmin=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"username": "staff_a", "agency": demo.agency_a.pk},
    ),
    Row(
        "user-detail",
        "DELETE",
        api("user-detail", staff_a),
        statuses(403, 401, cocadmin=204, dqm_a=204, dqm_b=404, cocadmin2=404),
    ),
    # --- Roles (catalogue, the same for everyone) ---
    Row("role-list", "GET", api("role-list"), statuses(200, 401)),
    Row("role-detail", "GET", api("role-detail", role_1), statuses(200, 401)),
    # --- Role assignments ---
    Row("role-assignment-list", "GET", api("role-assignment-list"), statuses(200, 401)),
    Row(
        "role-assignment-detail",
        "GET",
        api("role-assignment-detail", staff_a_assignment),
        statuses(404, 401, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
    ),
    Row(
        "role-assignment-list",
        "POST",
        api("role-assignment-list"),
        # The executive designates the agency HMIS administrator; the administrator may not.
        statuses(403, 401, cocadmin=201, director_a=201, dqm_b=400, cocadmin2=400),
        body=assignment_body,
    ),
    Row(
        "role-assignment-detail",
        "PATCH",
        api("role-assignment-detail", staff_a_assignment),
        statuses(
            403, 401, cocadmin=200, director_a=200, dqm_a=200, dqm_b=404, cocadmin2=404
        ),
        body=lambda demo: {"note": "Covers the night shift."},
    ),
    Row(
        "role-assignment-detail",
        "PUT",
        api("role-assignment-detail", staff_a_assignment),
        statuses(
            403, 401, cocadmin=200, director_a=200, dqm_a=200, dqm_b=404, cocadmin2=404
        ),
        body=lambda demo: {
            "user": demo.user("staff_a").pk,
            "role": _role_id("agency_program_staff"),
            "agency": demo.agency_a.pk,
            "starts_on": "2025-01-01",
        },
    ),
    Row(
        "role-assignment-end",
        "POST",
        api("role-assignment-end", staff_a_assignment),
        statuses(
            403, 401, cocadmin=200, director_a=200, dqm_a=200, dqm_b=404, cocadmin2=404
        ),
    ),
    Row(
        "role-assignment-detail",
        "DELETE",
        api("role-assignment-detail", staff_a_assignment),
        statuses(
            403, 401, cocadmin=204, director_a=204, dqm_a=204, dqm_b=404, cocadmin2=404
        ),
    ),
    # --- Tokens: public ---
    Row(
        "auth-token",
        "POST",
        api("auth-token"),
        statuses(200, 200),
        body=lambda demo: {"username": "dqm_a", "password": "demo-pass-2026"},
    ),
]


def page(name, *args):
    return api(name, *args)


# Page rows: anonymous visitors are sent to the log-in page (302).
PAGE_ROWS = [
    Row("dashboard", "GET", page("dashboard"), statuses(200, 302), api=False),
    Row("agencies:coc_list", "GET", page("agencies:coc_list"), statuses(200, 302), api=False),
    Row(
        "agencies:coc",
        "GET",
        page("agencies:coc", coc500),
        statuses(200, 302, cocadmin2=404),
        api=False,
    ),
    Row(
        "agencies:coc_edit",
        "GET",
        page("agencies:coc_edit", coc500),
        statuses(403, 302, cocadmin=200, cocadmin2=404),
        api=False,
    ),
    Row("agencies:agency_list", "GET", page("agencies:agency_list"), statuses(200, 302), api=False),
    Row(
        "agencies:agency_add",
        "GET",
        page("agencies:agency_add"),
        statuses(403, 302, cocadmin=200, cocadmin2=200),
        api=False,
    ),
    Row(
        "agencies:agency",
        "GET",
        page("agencies:agency", agency_a),
        statuses(404, 302, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
        api=False,
    ),
    Row(
        "agencies:agency_edit",
        "GET",
        page("agencies:agency_edit", agency_a),
        statuses(403, 302, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "agencies:agency_deactivate",
        "GET",
        page("agencies:agency_deactivate", agency_a),
        statuses(403, 302, cocadmin=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "agencies:project_list", "GET", page("agencies:project_list"), statuses(200, 302), api=False
    ),
    Row(
        "agencies:project_add",
        "GET",
        page("agencies:project_add"),
        statuses(403, 302, cocadmin=200, cocadmin2=200),
        api=False,
    ),
    Row(
        "agencies:project",
        "GET",
        page("agencies:project", project_a),
        statuses(404, 302, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
        api=False,
    ),
    Row(
        "agencies:project_edit",
        "GET",
        page("agencies:project_edit", project_a),
        statuses(403, 302, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "agencies:project_deactivate",
        "GET",
        page("agencies:project_deactivate", project_a),
        statuses(403, 302, cocadmin=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row("roles:user_list", "GET", page("roles:user_list"), statuses(200, 302), api=False),
    Row(
        "roles:user_add",
        "GET",
        page("roles:user_add"),
        statuses(403, 302, cocadmin=200, dqm_a=200, dqm_b=200, cocadmin2=200),
        api=False,
    ),
    Row(
        "roles:user",
        "GET",
        page("roles:user", staff_a),
        statuses(404, 302, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
        api=False,
    ),
    Row(
        "roles:user_edit",
        "GET",
        page("roles:user_edit", staff_a),
        statuses(403, 302, cocadmin=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row("roles:role_list", "GET", page("roles:role_list"), statuses(200, 302), api=False),
    Row(
        "roles:assignment_list",
        "GET",
        page("roles:assignment_list"),
        statuses(200, 302),
        api=False,
    ),
    Row(
        "roles:assignment_add",
        "GET",
        page("roles:assignment_add"),
        statuses(
            403, 302, cocadmin=200, director_a=200, dqm_a=200, dqm_b=200, director_b=200,
            cocadmin2=200,
        ),
        api=False,
    ),
    Row(
        "roles:assignment",
        "GET",
        page("roles:assignment", staff_a_assignment),
        statuses(404, 302, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
        api=False,
    ),
    Row(
        "roles:assignment_edit",
        "GET",
        page("roles:assignment_edit", staff_a_assignment),
        statuses(403, 302, cocadmin=200, director_a=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "roles:assignment_end",
        "GET",
        page("roles:assignment_end", staff_a_assignment),
        statuses(403, 302, cocadmin=200, director_a=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "roles:my_responsibilities",
        "GET",
        page("roles:my_responsibilities"),
        statuses(302, 302),
        api=False,
    ),
    Row(
        "roles:responsibilities",
        "GET",
        page("roles:responsibilities", coc500),
        statuses(200, 302, cocadmin2=404),
        api=False,
    ),
]

ROWS = API_ROWS + PAGE_ROWS
