"""Agreements: signed-document uploads (type, size, names), restricted downloads, signing,
and the reminders 60 and 30 days before expiry."""

import datetime
import os

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.demo import load as load_governance
from governance.models import Agreement, TaskRun
from governance.reminders import send_expiry_reminders
from governance.tasks import send_agreement_reminders

TODAY = datetime.date.today()
D = datetime.timedelta
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def gov(demo):
    load_governance(None)
    return demo


def agreement_a(kind="participation") -> Agreement:
    return Agreement.objects.get(agency__hud_organization_id="A", kind=kind)


def upload(client, agreement, name, content, content_type="application/pdf"):
    data = {
        "agency": agreement.agency_id,
        "kind": agreement.kind,
        "title": agreement.title,
        "agency_signed_on": agreement.agency_signed_on.isoformat(),
        "executed_on": agreement.executed_on.isoformat(),
        "expires_on": agreement.expires_on.isoformat(),
        "upload": SimpleUploadedFile(name, content, content_type=content_type),
    }
    return client.post(reverse("governance:agreement_edit", args=[agreement.pk]), data)


def test_a_signed_pdf_is_stored_outside_the_web_root_and_served_only_to_the_allowed(
    gov, web_as, api_as, private_media
):
    agreement = agreement_a()
    response = upload(web_as("governance"), agreement, "signed.pdf", PDF)
    assert response.status_code == 302, response.content[:500]
    agreement.refresh_from_db()
    path = agreement.document.path
    assert path.startswith(str(private_media))
    assert agreement.document_name == "signed.pdf"
    assert agreement.document_type == "pdf"

    url = reverse("governance:agreement_document", args=[agreement.pk])
    for name, status in [
        ("governance", 200),  # the CoC's keeper
        ("cocadmin", 200),
        ("director_a", 200),  # the agency's authorizing agent
        ("dqm_a", 403),
        ("staff_a", 403),
        ("committee", 403),
        ("dqm_b", 404),
        ("cocadmin2", 404),
        (None, 302),
    ]:
        response = web_as(name).get(url)
        assert response.status_code == status, name
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Disposition"].startswith("attachment")
    api_url = f"/api/v1/agreements/{agreement.pk}/document/"
    assert api_as("director_a").get(api_url).status_code == 200
    assert api_as("dqm_a").get(api_url).status_code == 403
    assert api_as("dqm_b").get(api_url).status_code == 404
    assert api_as("cocadmin2").get(api_url).status_code == 404


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(gov, web_as):
    agreement = agreement_a()
    response = upload(web_as("governance"), agreement, "signed.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 200
    assert "content is not a PDF, PNG or JPEG" in response.content.decode()
    agreement.refresh_from_db()
    assert not agreement.document


def test_a_png_named_pdf_is_refused(gov, web_as):
    response = upload(web_as("governance"), agreement_a(), "scan.pdf", PNG)
    assert "its content is PNG" in response.content.decode()


def test_a_wrong_extension_is_refused(gov, web_as):
    response = upload(web_as("governance"), agreement_a(), "signed.docx", PDF)
    assert "as a PDF, PNG or JPEG file" in response.content.decode()


def test_an_oversized_file_is_refused(gov, web_as, settings):
    settings.GOVERNANCE_MAX_UPLOAD_BYTES = 1024
    response = upload(web_as("governance"), agreement_a(), "big.pdf", PDF + b"0" * 2048)
    assert "the limit is" in response.content.decode()
    assert not agreement_a().document


def test_a_name_with_path_traversal_stays_in_the_upload_folder(gov, web_as, private_media):
    agreement = agreement_a()
    response = upload(web_as("governance"), agreement, "../../../etc/passwd.pdf", PDF)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert ".." not in agreement.document.name
    assert agreement.document.name.startswith(f"agreements/{agreement.coc_id}/")
    assert agreement.document_name == "passwd.pdf"
    real = os.path.realpath(agreement.document.path)
    assert real.startswith(os.path.realpath(private_media / "agreements"))
    assert not (private_media.parent / "etc").exists()


def test_a_backslash_traversal_name_is_reduced_to_its_last_part(gov, web_as):
    agreement = agreement_a()
    upload(web_as("governance"), agreement, "..\\..\\windows\\boot.ini.pdf", PDF)
    agreement.refresh_from_db()
    assert agreement.document_name == "boot.ini.pdf"
    assert "\\" not in agreement.document.name and ".." not in agreement.document.name


def test_the_api_refuses_bad_uploads_too(gov, api_as):
    agreement = agreement_a()
    response = api_as("governance").patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"document": SimpleUploadedFile("x.pdf", b"<html>hi</html>")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "document" in response.json()["errors"]
    response = api_as("governance").patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"document": SimpleUploadedFile("../x.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 200
    assert response.json()["document_name"] == "x.pdf"
    assert response.json()["document_url"].endswith(f"/agreements/{agreement.pk}/document/")


def test_the_agency_executive_signs_as_authorizing_agent(gov, api_as):
    agreement = Agreement.objects.create(
        agency=gov.agency_a, kind="data_sharing", title="Street outreach MOU"
    )
    assert api_as("dqm_a").post(f"/api/v1/agreements/{agreement.pk}/sign/").status_code == 403
    response = api_as("director_a").post(f"/api/v1/agreements/{agreement.pk}/sign/")
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.authorizing_agent == gov.user("director_a")
    assert agreement.agency_signed_on == TODAY


def test_reminders_go_out_60_and_30_days_before_expiry_once_each(gov):
    Agreement.objects.update(reminder_60_sent_on=None, reminder_30_sent_on=None)
    agreement = agreement_a()
    Agreement.objects.exclude(pk=agreement.pk).update(expires_on=TODAY + D(days=400))
    agreement.expires_on = TODAY + D(days=61)
    agreement.save()
    mail.outbox.clear()

    assert send_expiry_reminders(TODAY) == {60: 0, 30: 0}
    assert send_expiry_reminders(TODAY + D(days=1)) == {60: 1, 30: 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "expires in 60 days" in message.subject
    assert set(message.to) == {"director_a@example.org", "governance@example.org"}
    # The same day again, or the next day: nothing new.
    assert send_expiry_reminders(TODAY + D(days=1)) == {60: 0, 30: 0}
    assert send_expiry_reminders(TODAY + D(days=2)) == {60: 0, 30: 0}
    assert send_expiry_reminders(TODAY + D(days=31)) == {60: 0, 30: 1}
    assert "expires in 30 days" in mail.outbox[-1].subject
    assert send_expiry_reminders(TODAY + D(days=40)) == {60: 0, 30: 0}
    assert len(mail.outbox) == 2


def test_an_agreement_entered_inside_30_days_gets_one_reminder(gov):
    Agreement.objects.update(
        expires_on=TODAY + D(days=400), reminder_60_sent_on=None, reminder_30_sent_on=None
    )
    Agreement.objects.filter(pk=agreement_a().pk).update(expires_on=TODAY + D(days=20))
    mail.outbox.clear()
    assert send_expiry_reminders(TODAY) == {60: 0, 30: 1}
    assert len(mail.outbox) == 1


def test_the_reminder_task_records_its_run(gov):
    mail.outbox.clear()
    run = TaskRun.objects.get(pk=send_agreement_reminders.delay().get())
    assert run.status == "done"
    # The demo's Agency B agreement expires in 45 days: its 60-day reminder goes out.
    assert "1 reminder(s) 60 days" in run.log
    assert any("Agency B" in m.body for m in mail.outbox)


def test_expired_agreements_get_no_reminder(gov):
    mail.outbox.clear()
    send_expiry_reminders(TODAY)
    assert not any("Agency C" in m.body for m in mail.outbox)


def test_agreement_list_runs_a_fixed_number_of_queries(gov, api_as, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = api_as("governance").get("/api/v1/agreements/")
    assert response.json()["count"] == 4
