"""Client consent (release of information): without a current consent, another agency sees no
identifying data of that client. Tested at the level of ``governance.consent``, which the hmis
pages call (see its docstring)."""

import datetime

import pytest

from governance.compliance import compliance_for
from governance.consent import annotate_identifying, identifying_visible
from governance.models import ClientConsent
from hmis.models import Client
from tests.matrix.governance import enroll, make_client

TODAY = datetime.date.today()
D = datetime.timedelta


@pytest.fixture
def shared_client(demo):
    """Entered by Agency A a year ago, now also served by Agency B (one CoC-wide source)."""
    client = make_client(demo.xx500, "C-SHARED", first="Maria", last="Lopez")
    enroll(client, demo.agency_a, TODAY - D(days=365), "E-A")
    enroll(client, demo.agency_b, TODAY - D(days=10), "E-B")
    return client


def visible(user, client) -> bool:
    return identifying_visible(user, Client.objects.filter(pk=client.pk)).exists()


def consent(client, agency, scope, **kw) -> ClientConsent:
    consent = ClientConsent.objects.create(
        client=client, agency=agency, scope=scope, signed_on=kw.pop("signed_on", TODAY), **kw
    )
    return consent


def test_without_consent_another_agency_sees_no_identifying_data(demo, shared_client):
    dqm_b = demo.user("dqm_b")
    # Agency B serves the client, so it sees the record...
    assert Client.objects.restrict(dqm_b).filter(pk=shared_client.pk).exists()
    # ...but not who the client is.
    assert not visible(dqm_b, shared_client)
    row = annotate_identifying(dqm_b, Client.objects.filter(pk=shared_client.pk)).get()
    assert row.identifying_ok is False


def test_the_entering_agency_and_the_coc_administrator_see_identifying_data(demo, shared_client):
    assert visible(demo.user("dqm_a"), shared_client)
    assert visible(demo.user("staff_a"), shared_client)
    assert visible(demo.user("cocadmin"), shared_client)


def test_people_without_pii_permission_or_outside_the_coc_see_nothing(demo, shared_client):
    consent(shared_client, demo.agency_a, ClientConsent.Scope.COC)
    assert not visible(demo.user("director_a"), shared_client)  # no view_client_pii
    assert not visible(demo.user("cocadmin2"), shared_client)
    assert not visible(demo.user("governance"), shared_client)


def test_a_current_coc_wide_consent_lets_the_other_agency_see(demo, shared_client):
    consent(shared_client, demo.agency_a, ClientConsent.Scope.COC)
    assert visible(demo.user("dqm_b"), shared_client)


def test_an_expired_or_revoked_consent_shares_nothing(demo, shared_client):
    c = consent(
        shared_client,
        demo.agency_a,
        ClientConsent.Scope.COC,
        signed_on=TODAY - D(days=400),
        expires_on=TODAY - D(days=35),
    )
    assert not visible(demo.user("dqm_b"), shared_client)
    c.expires_on = None
    c.revoked_on = TODAY
    c.save()
    assert not visible(demo.user("dqm_b"), shared_client)
    c.revoked_on = None
    c.save()
    assert visible(demo.user("dqm_b"), shared_client)


def test_a_consent_listing_agencies_shares_only_with_them(demo, shared_client):
    listed = consent(shared_client, demo.agency_a, ClientConsent.Scope.LISTED)
    listed.shared_with.set([demo.agency_c])
    assert not visible(demo.user("dqm_b"), shared_client)
    listed.shared_with.add(demo.agency_b)
    assert visible(demo.user("dqm_b"), shared_client)


def test_the_agency_holding_the_signed_form_sees_the_client(demo, shared_client):
    consent(shared_client, demo.agency_b, ClientConsent.Scope.NONE)
    assert visible(demo.user("dqm_b"), shared_client)


def test_identifying_flags_cost_one_query_for_a_list(
    demo, shared_client, django_assert_num_queries
):
    other = make_client(demo.xx500, "C-OTHER", source=shared_client.source)
    enroll(other, demo.agency_b, TODAY - D(days=3), "E-B2")
    dqm_b = demo.user("dqm_b")
    with django_assert_num_queries(1):
        flags = dict(
            annotate_identifying(dqm_b, Client.objects.restrict(dqm_b)).values_list(
                "personal_id", "identifying_ok"
            )
        )
    assert flags == {"C-SHARED": False, "C-OTHER": True}


def test_consents_maintained_is_a_gap_until_every_open_client_has_one(demo, shared_client):
    def status():
        rows = compliance_for(demo.xx500, type(demo.agency_a).objects.filter(pk=demo.agency_a.pk))
        return rows[0].checks["consents"]

    assert status().status == "gap"
    assert "1 of 1 open clients" in status().evidence
    consent(shared_client, demo.agency_a, ClientConsent.Scope.NONE)
    assert status().status == "pass"


def test_dqm_b_and_cocadmin2_cannot_reach_agency_a_consents(demo, shared_client, api_as):
    c = consent(shared_client, demo.agency_a, ClientConsent.Scope.NONE)
    for name in ("dqm_b", "cocadmin2"):
        response = api_as(name).get(f"/api/v1/consents/{c.pk}/")
        assert response.status_code == 404
    assert api_as("dqm_a").get(f"/api/v1/consents/{c.pk}/").status_code == 200
