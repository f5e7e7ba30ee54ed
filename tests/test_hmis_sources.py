"""Sources: the CoC HMIS administrator registers each vendor system feeding the CoC."""

from django.urls import reverse

from hmis.models import Source


def test_cocadmin_registers_a_source_and_then_uploads_to_it(demo, api_as):
    client = api_as("cocadmin")
    response = client.post(
        reverse("hmis-source-list"),
        {
            "coc": demo.xx500.pk,
            "key": "clarity",
            "name": "Clarity HMIS",
            "software_name": "Clarity",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    source = Source.objects.get(pk=response.json()["id"])
    assert (source.coc, source.key) == (demo.xx500, "clarity")
    # The upload endpoint now knows it (an empty upload is refused for the file, not the source).
    upload = client.post(
        reverse("hmis-import-list"), {"coc": "XX-500", "source": "clarity"}, format="multipart"
    )
    assert upload.status_code == 400
    assert "source" not in upload.json()["errors"]


def test_a_key_is_unique_in_its_coc(demo, api_as):
    Source.objects.create(coc=demo.xx500, key="clarity", name="Clarity")
    response = api_as("cocadmin").post(
        reverse("hmis-source-list"),
        {"coc": demo.xx500.pk, "key": "clarity", "name": "Again"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["key"] == [
        "XX-500 already has a source with the key 'clarity'."
    ]


def test_an_agency_source_must_be_an_agency_of_the_coc(demo, api_as):
    response = api_as("cocadmin").post(
        reverse("hmis-source-list"),
        {"coc": demo.xx500.pk, "key": "x", "name": "X", "agency": demo.agency_x.pk},
        format="json",
    )
    assert response.status_code == 400  # Agency X is in XX-501, which cocadmin cannot see
    assert "agency" in response.json()["errors"]


def test_agency_managers_cannot_register_sources(demo, api_as):
    response = api_as("dqm_a").post(
        reverse("hmis-source-list"),
        {"coc": demo.xx500.pk, "key": "own", "name": "Our own system"},
        format="json",
    )
    assert response.status_code == 403
    assert not Source.objects.filter(key="own").exists()


def test_the_source_form_page_creates_a_source(demo, web_as):
    response = web_as("cocadmin").post(
        reverse("hmis:source_add"),
        {"coc": demo.xx500.pk, "key": "wellsky", "name": "WellSky", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Source.objects.filter(coc=demo.xx500, key="wellsky").exists()
