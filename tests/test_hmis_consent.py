"""Consent reaches the records' pages and API: without a current release of information,
another agency sees the client's record but not who the client is."""

import datetime

from django.urls import reverse

from governance.models import ClientConsent
from hmis.models import PIIAccessLog
from tests.matrix.governance import enroll, make_client

TODAY = datetime.date.today()


def shared_client(demo):
    client = make_client(demo.xx500, "C-SHARED", first="Maria", last="Lopez")
    enroll(client, demo.agency_a, TODAY - datetime.timedelta(days=365), "E-A")
    enroll(client, demo.agency_b, TODAY - datetime.timedelta(days=10), "E-B")
    return client


def test_the_api_hides_the_name_from_another_agency_until_the_client_consents(demo, api_as):
    client = shared_client(demo)
    url = reverse("client-detail", args=[client.pk])

    before = api_as("dqm_b").get(url).json()
    assert before["first_name"] != "Maria" and before["last_name"] != "Lopez"
    assert not PIIAccessLog.objects.filter(user__username="dqm_b").exists()
    assert api_as("dqm_a").get(url).json()["first_name"] == "Maria"  # the entering agency

    ClientConsent.objects.create(
        client=client, agency=demo.agency_a, scope=ClientConsent.Scope.COC, signed_on=TODAY
    )

    after = api_as("dqm_b").get(url).json()
    assert after["first_name"] == "Maria"
    assert PIIAccessLog.objects.filter(user__username="dqm_b", client=client).exists()


def test_the_client_page_follows_consent_too(demo, web_as):
    client = shared_client(demo)
    page = web_as("dqm_b").get(reverse("hmis:client", args=[client.pk])).content.decode()
    assert "Lopez" not in page
