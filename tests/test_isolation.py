"""Tenant isolation: dqm_b and cocadmin2 never see Agency A's or XX-500's objects."""

import pytest
from django.urls import reverse

from agencies.models import Agency, Project
from roles.models import RoleAssignment


@pytest.mark.parametrize(
    ("username", "route"),
    [
        ("dqm_b", "agency-list"),
        ("dqm_b", "project-list"),
        ("dqm_b", "user-list"),
        ("dqm_b", "role-assignment-list"),
        ("cocadmin2", "coc-list"),
        ("cocadmin2", "agency-list"),
        ("cocadmin2", "project-list"),
        ("cocadmin2", "user-list"),
        ("cocadmin2", "role-assignment-list"),
    ],
)
def test_lists_never_contain_another_tenants_objects(demo, api_as, username, route):
    rows = api_as(username).get(reverse(route), {"page_size": 500}).json()["results"]
    if route == "coc-list":
        assert {row["code"] for row in rows} == {"XX-501"}
        return
    text = str(rows)
    assert "Harbor Light" not in text and "staff_a" not in text
    if route == "agency-list" and username == "dqm_b":
        assert [row["name"] for row in rows] == [demo.agency_b.name]
    if route == "agency-list" and username == "cocadmin2":
        assert {row["coc"] for row in rows} == {demo.xx501.pk}


def test_filters_cannot_reach_into_another_tenant(demo, api_as):
    client = api_as("cocadmin2")
    response = client.get(reverse("project-list"), {"agency": demo.agency_a.pk})
    # An agency outside the caller's view is not a valid choice, so the filter is refused.
    assert response.status_code == 400
    assert "agency" in response.json()["errors"]
    response = client.get(reverse("agency-list"), {"coc": demo.xx500.pk})
    assert response.status_code == 400


def test_ordering_and_search_do_not_widen_the_view(demo, api_as):
    rows = api_as("dqm_b").get(reverse("project-list"), {"ordering": "-name", "search": "Harbor"})
    assert rows.json()["count"] == 0


@pytest.mark.parametrize("username", ["dqm_b", "cocadmin2"])
def test_cannot_move_a_project_into_agency_a(demo, api_as, username):
    own_agency = demo.agency_b if username == "dqm_b" else demo.agency_x
    project = Project.objects.filter(agency=own_agency).first()
    response = api_as(username).patch(
        reverse("project-detail", args=[project.pk]), {"agency": demo.agency_a.pk}, format="json"
    )
    assert response.status_code in (400, 403, 404)
    project.refresh_from_db()
    assert project.agency == own_agency


def test_cocadmin2_cannot_move_an_agency_into_xx500(demo, api_as):
    response = api_as("cocadmin2").patch(
        reverse("agency-detail", args=[demo.agency_x.pk]), {"coc": demo.xx500.pk}, format="json"
    )
    assert response.status_code == 400
    assert Agency.objects.get(pk=demo.agency_x.pk).coc == demo.xx501


def test_director_a_cannot_move_agency_a_to_another_coc(demo, api_as):
    # The executive may edit the agency but not hand it to a CoC where they set nothing up.
    response = api_as("director_a").patch(
        reverse("agency-detail", args=[demo.agency_a.pk]), {"coc": demo.xx501.pk}, format="json"
    )
    assert response.status_code == 400  # XX-501 is not visible to director_a
    assert Agency.objects.get(pk=demo.agency_a.pk).coc == demo.xx500


def test_dqm_b_cannot_assign_a_role_on_agency_a(demo, api_as):
    response = api_as("dqm_b").post(
        reverse("role-assignment-list"),
        {
            "user": demo.user("dqm_b").pk,
            "role": RoleAssignment.objects.get(user__username="dqm_a").role_id,
            "agency": demo.agency_a.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(user__username="dqm_b", agency=demo.agency_a).exists()


def test_pages_of_another_tenant_answer_404(demo, web_as):
    client = web_as("cocadmin2")
    for name, pk in [
        ("agencies:coc", demo.xx500.pk),
        ("agencies:agency", demo.agency_a.pk),
        ("agencies:project", demo.project_a.pk),
        ("roles:user", demo.user("dqm_a").pk),
        ("roles:responsibilities", demo.xx500.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name


def test_csv_export_of_a_list_is_restricted(demo, web_as):
    response = web_as("dqm_b").get(reverse("agencies:project_list"), {"_export": "csv"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bridgeway" in body and "Harbor Light" not in body


def test_form_choices_offer_only_visible_scopes(demo, web_as):
    response = web_as("cocadmin2").get(reverse("agencies:project_add"))
    choices = response.context["form"].fields["agency"].queryset
    assert set(choices) == set(Agency.objects.filter(coc=demo.xx501))


def test_the_who_does_what_api_shows_an_agency_user_only_their_agency(demo, api_as):
    data = api_as("dqm_b").get(reverse("coc-responsibilities", args=[demo.xx500.pk])).json()
    holders = [h for role in data["roles"] for h in role["holders"]]
    agencies = {h["agency"] for h in holders if h["agency"]}
    assert agencies == {demo.agency_b.pk}
    assert all("Agency A" not in gap["message"] for gap in data["gaps"])
