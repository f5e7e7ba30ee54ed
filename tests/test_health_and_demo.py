"""/healthz and the demo loader."""

from django.core.management import call_command
from django.urls import reverse

from agencies.models import Agency, ContinuumOfCare, Project
from roles.models import RoleAssignment, User


def test_healthz_reports_the_database_and_the_broker(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_reports_a_broker_that_is_down(db, client, settings, monkeypatch):
    from hmis_gov import health

    monkeypatch.setattr(health, "check_broker", lambda: (False, "ConnectionRefusedError"))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == {
        "ok": False,
        "kind": "redis" if settings.REDIS_URL else "filesystem",
        "detail": "ConnectionRefusedError",
    }


def test_load_demo_is_idempotent_and_keeps_changes(db, capsys):
    call_command("load_demo")
    counts = [m.objects.count() for m in (ContinuumOfCare, Agency, Project, User, RoleAssignment)]
    user = User.objects.get(username="dqm_a")
    user.set_password("a-new-pass-2026")
    user.save()

    call_command("load_demo")

    assert [
        m.objects.count() for m in (ContinuumOfCare, Agency, Project, User, RoleAssignment)
    ] == counts
    assert User.objects.get(username="dqm_a").check_password("a-new-pass-2026")
    assert "Demo users (password demo-pass-2026)" in capsys.readouterr().out


def test_the_demo_holds_what_the_readme_promises(demo):
    xx500 = demo.xx500
    assert Agency.objects.filter(coc=xx500).count() >= 3
    projects = Project.objects.filter(agency__coc=xx500)
    assert projects.count() >= 8
    assert projects.values("project_type").distinct().count() >= 5
    assert RoleAssignment.objects.get(user__username="cocadmin2").coc.code == "XX-501"
