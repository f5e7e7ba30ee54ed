"""Permission matrix rows for the foundation: CoCs, agencies, projects, people and roles."""

from .base import COC_WIDE, Row, role_id, statuses, today, url


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
        "role": role_id("agency_hmis_admin"),
        "agency": demo.agency_a.pk,
        "starts_on": today(),
    }


def staff_a_assignment(demo) -> int:
    return demo.assignment("staff_a").pk


def coc500(demo):
    return demo.xx500.pk


def agency_a(demo):
    return demo.agency_a.pk


def project_a(demo):
    return demo.project_a.pk


def staff_a(demo):
    return demo.user("staff_a").pk


def role_1(demo):
    return role_id("coc_hmis_admin")


API_ROWS = [
    # --- CoCs ---
    Row("coc-list", "GET", url("coc-list"), statuses(200, 401)),
    Row("coc-detail", "GET", url("coc-detail", coc500), statuses(200, 401, cocadmin2=404)),
    Row(
        "coc-detail",
        "PATCH",
        url("coc-detail", coc500),
        statuses(403, 401, cocadmin=200, cocadmin2=404),
        body=lambda demo: {"name": "Renamed CoC"},
    ),
    Row(
        "coc-detail",
        "DELETE",
        url("coc-detail", coc500),
        statuses(403, 401, cocadmin2=404),
        label="DELETE coc-detail (superuser only)",
    ),
    Row(
        "coc-list",
        "POST",
        url("coc-list"),
        statuses(403, 401),
        body=lambda demo: {"code": "XX-502", "name": "New CoC"},
        label="POST coc-list (superuser only)",
    ),
    Row(
        "coc-responsibilities",
        "GET",
        url("coc-responsibilities", coc500),
        statuses(200, 401, cocadmin2=404),
    ),
    # --- Agencies ---
    Row("agency-list", "GET", url("agency-list"), statuses(200, 401)),
    Row(
        "agency-detail",
        "GET",
        url("agency-detail", agency_a),
        statuses(404, 401, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
    ),
    Row(
        "agency-list",
        "POST",
        url("agency-list"),
        statuses(403, 401, cocadmin=201, cocadmin2=400),
        body=agency_body,
    ),
    Row(
        "agency-detail",
        "PATCH",
        url("agency-detail", agency_a),
        statuses(403, 401, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"name": "Agency A renamed"},
    ),
    Row(
        "agency-detail",
        "PUT",
        url("agency-detail", agency_a),
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
        url("agency-detail", agency_a),
        statuses(403, 401, cocadmin=204, dqm_b=404, cocadmin2=404),
    ),
    # --- Projects ---
    Row("project-list", "GET", url("project-list"), statuses(200, 401)),
    Row(
        "project-detail",
        "GET",
        url("project-detail", project_a),
        statuses(404, 401, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
    ),
    Row(
        "project-list",
        "POST",
        url("project-list"),
        statuses(403, 401, cocadmin=201, dqm_b=400, cocadmin2=400),
        body=project_body,
    ),
    Row(
        "project-detail",
        "PATCH",
        url("project-detail", project_a),
        statuses(403, 401, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"name": "Shelter renamed"},
    ),
    Row(
        "project-detail",
        "PUT",
        url("project-detail", project_a),
        statuses(403, 401, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {**project_body(demo), "hud_project_id": "A-ES1"},
    ),
    Row(
        "project-detail",
        "DELETE",
        url("project-detail", project_a),
        statuses(403, 401, cocadmin=204, dqm_b=404, cocadmin2=404),
    ),
    # --- Users ---
    Row("user-list", "GET", url("user-list"), statuses(200, 401)),
    Row(
        "user-detail",
        "GET",
        url("user-detail", staff_a),
        statuses(404, 401, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
    ),
    Row(
        "user-list",
        "POST",
        url("user-list"),
        statuses(403, 401, cocadmin=201, dqm_a=201, dqm_b=400, cocadmin2=400),
        body=user_body,
    ),
    Row(
        "user-detail",
        "PATCH",
        url("user-detail", staff_a),
        statuses(403, 401, cocadmin=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"job_title": "Case manager"},
    ),
    Row(
        "user-detail",
        "PUT",
        url("user-detail", staff_a),
        statuses(403, 401, cocadmin=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"username": "staff_a", "agency": demo.agency_a.pk},
    ),
    Row(
        "user-detail",
        "DELETE",
        url("user-detail", staff_a),
        statuses(403, 401, cocadmin=204, dqm_a=204, dqm_b=404, cocadmin2=404),
    ),
    # --- Roles (catalogue, the same for everyone) ---
    Row("role-list", "GET", url("role-list"), statuses(200, 401)),
    Row("role-detail", "GET", url("role-detail", role_1), statuses(200, 401)),
    # --- Role assignments ---
    Row("role-assignment-list", "GET", url("role-assignment-list"), statuses(200, 401)),
    Row(
        "role-assignment-detail",
        "GET",
        url("role-assignment-detail", staff_a_assignment),
        statuses(404, 401, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
    ),
    Row(
        "role-assignment-list",
        "POST",
        url("role-assignment-list"),
        # The executive designates the agency HMIS administrator; the administrator may not.
        statuses(403, 401, cocadmin=201, director_a=201, dqm_b=400, cocadmin2=400),
        body=assignment_body,
    ),
    Row(
        "role-assignment-detail",
        "PATCH",
        url("role-assignment-detail", staff_a_assignment),
        statuses(403, 401, cocadmin=200, director_a=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"note": "Covers the night shift."},
    ),
    Row(
        "role-assignment-detail",
        "PUT",
        url("role-assignment-detail", staff_a_assignment),
        statuses(403, 401, cocadmin=200, director_a=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {
            "user": demo.user("staff_a").pk,
            "role": role_id("agency_program_staff"),
            "agency": demo.agency_a.pk,
            "starts_on": "2025-01-01",
        },
    ),
    Row(
        "role-assignment-end",
        "POST",
        url("role-assignment-end", staff_a_assignment),
        statuses(403, 401, cocadmin=200, director_a=200, dqm_a=200, dqm_b=404, cocadmin2=404),
    ),
    Row(
        "role-assignment-detail",
        "DELETE",
        url("role-assignment-detail", staff_a_assignment),
        statuses(403, 401, cocadmin=204, director_a=204, dqm_a=204, dqm_b=404, cocadmin2=404),
    ),
    # --- Tokens: public ---
    Row(
        "auth-token",
        "POST",
        url("auth-token"),
        statuses(200, 200),
        body=lambda demo: {"username": "dqm_a", "password": "demo-pass-2026"},
    ),
]


# Page rows: anonymous visitors are sent to the log-in page (302).
PAGE_ROWS = [
    Row("dashboard", "GET", url("dashboard"), statuses(200, 302), api=False),
    Row("agencies:coc_list", "GET", url("agencies:coc_list"), statuses(200, 302), api=False),
    Row(
        "agencies:coc",
        "GET",
        url("agencies:coc", coc500),
        statuses(200, 302, cocadmin2=404),
        api=False,
    ),
    Row(
        "agencies:coc_edit",
        "GET",
        url("agencies:coc_edit", coc500),
        statuses(403, 302, cocadmin=200, cocadmin2=404),
        api=False,
    ),
    Row("agencies:agency_list", "GET", url("agencies:agency_list"), statuses(200, 302), api=False),
    Row(
        "agencies:agency_add",
        "GET",
        url("agencies:agency_add"),
        statuses(403, 302, cocadmin=200, cocadmin2=200),
        api=False,
    ),
    Row(
        "agencies:agency",
        "GET",
        url("agencies:agency", agency_a),
        statuses(404, 302, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
        api=False,
    ),
    Row(
        "agencies:agency_edit",
        "GET",
        url("agencies:agency_edit", agency_a),
        statuses(403, 302, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "agencies:agency_deactivate",
        "GET",
        url("agencies:agency_deactivate", agency_a),
        statuses(403, 302, cocadmin=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "agencies:project_list", "GET", url("agencies:project_list"), statuses(200, 302), api=False
    ),
    Row(
        "agencies:project_add",
        "GET",
        url("agencies:project_add"),
        statuses(403, 302, cocadmin=200, cocadmin2=200),
        api=False,
    ),
    Row(
        "agencies:project",
        "GET",
        url("agencies:project", project_a),
        statuses(404, 302, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
        api=False,
    ),
    Row(
        "agencies:project_edit",
        "GET",
        url("agencies:project_edit", project_a),
        statuses(403, 302, cocadmin=200, director_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "agencies:project_deactivate",
        "GET",
        url("agencies:project_deactivate", project_a),
        statuses(403, 302, cocadmin=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row("roles:user_list", "GET", url("roles:user_list"), statuses(200, 302), api=False),
    Row(
        "roles:user_add",
        "GET",
        url("roles:user_add"),
        statuses(403, 302, cocadmin=200, dqm_a=200, dqm_b=200, cocadmin2=200),
        api=False,
    ),
    Row(
        "roles:user",
        "GET",
        url("roles:user", staff_a),
        statuses(404, 302, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
        api=False,
    ),
    Row(
        "roles:user_edit",
        "GET",
        url("roles:user_edit", staff_a),
        statuses(403, 302, cocadmin=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row("roles:role_list", "GET", url("roles:role_list"), statuses(200, 302), api=False),
    Row(
        "roles:assignment_list",
        "GET",
        url("roles:assignment_list"),
        statuses(200, 302),
        api=False,
    ),
    Row(
        "roles:assignment_add",
        "GET",
        url("roles:assignment_add"),
        statuses(
            403,
            302,
            cocadmin=200,
            director_a=200,
            dqm_a=200,
            dqm_b=200,
            director_b=200,
            cocadmin2=200,
        ),
        api=False,
    ),
    Row(
        "roles:assignment",
        "GET",
        url("roles:assignment", staff_a_assignment),
        statuses(404, 302, director_a=200, dqm_a=200, staff_a=200, **COC_WIDE),
        api=False,
    ),
    Row(
        "roles:assignment_edit",
        "GET",
        url("roles:assignment_edit", staff_a_assignment),
        statuses(403, 302, cocadmin=200, director_a=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "roles:assignment_end",
        "GET",
        url("roles:assignment_end", staff_a_assignment),
        statuses(403, 302, cocadmin=200, director_a=200, dqm_a=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "roles:my_responsibilities",
        "GET",
        url("roles:my_responsibilities"),
        statuses(302, 302),
        api=False,
    ),
    Row("roles:two_factor", "GET", url("roles:two_factor"), statuses(200, 302), api=False),
    Row(
        "roles:responsibilities",
        "GET",
        url("roles:responsibilities", coc500),
        statuses(200, 302, cocadmin2=404),
        api=False,
    ),
]

ROWS = API_ROWS + PAGE_ROWS
