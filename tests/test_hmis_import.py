"""Importing HMIS CSV exports: the valid path, idempotence, sources, deltas, FY2024, Eva."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings

from hmis.importer import import_export
from hmis.models import Client, Enrollment, Exit, IncomeBenefits, Project, Services, Source
from tests import hmis_builder as hb

EVA = Path(settings.BASE_DIR).parent / "shared" / "testdata" / "hmis-csv" / "eva-demo-fy2026.zip"


@pytest.fixture
def private_media(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def run(data: bytes, source="main", coc="XX-500"):
    return import_export(io.BytesIO(data), coc, source)


def snapshot() -> dict:
    """Every row of every client-level table, with its primary key (to prove nothing changed)."""
    from hmis.models import HUD_MODELS

    return {
        file: sorted(
            model.objects.values_list("pk", *[f for _, f in model.HUD_COLUMNS if f != "ssn"])
        )
        for file, model in HUD_MODELS.items()
    }


def test_a_valid_export_imports_and_links_to_the_cocs_setup(demo, private_media):
    result = run(hb.valid_export())
    assert result.status == "succeeded", result.errors
    assert result.errors == []
    assert result.counts["Client"] == 2 and result.counts["Enrollment"] == 2
    project = Project.objects.get(project_id="A-ES1")
    assert project.agency == demo.agency_a and project.agency_project == demo.project_a
    enrollment = Enrollment.objects.get(enrollment_id="N2")
    assert enrollment.client.personal_id == "P2" and enrollment.project == project
    assert enrollment.agency == demo.agency_a
    assert enrollment.exit.destination == 410
    assert str(IncomeBenefits.objects.get().total_monthly_income) == "1250.50"
    assert Services.objects.get().agency == demo.agency_a


def test_the_ssn_is_stored_only_encrypted_and_shown_masked(demo, private_media):
    run(hb.valid_export())
    client = Client.objects.get(personal_id="P1")
    assert "123456789" not in client.ssn_encrypted
    assert client.ssn_masked == "***-**-6789"
    from hmis import pii

    assert pii.decrypt(client.ssn_encrypted) == "123456789"


def test_the_ssn_validity_test_is_stored_on_import_and_follows_a_corrected_ssn(demo, private_media):
    """Data-quality rules read ``ssn_invalid`` instead of decrypting (REFERENCE §3.2, column D)."""
    # Both SSNs of the valid export are runs HUD rejects (123456789 up, 987654321 down).
    run(hb.valid_export())
    assert dict(Client.objects.values_list("personal_id", "ssn_invalid")) == {
        "P1": True,
        "P2": True,
    }
    corrected = hb.changed(Client={0: {"SSN": "219094567"}, 1: {"SSN": "12345xxxx"}})
    assert run(hb.build(corrected)).status == "succeeded"
    assert dict(Client.objects.values_list("personal_id", "ssn_invalid")) == {
        "P1": False,
        "P2": True,  # last four unknown while other digits are known
    }
    hashed = hb.changed(
        Export={0: {"HashStatus": "4"}},
        Client={0: {"SSN": "a" * 64}, 1: {"SSN": ""}},
    )
    assert run(hb.build(hashed)).status == "succeeded"
    # A digest has no digits to test; a blank SSN is "missing" (column C), never column D.
    assert not Client.objects.filter(ssn_invalid=True).exists()


def test_the_migration_fills_ssn_invalid_from_the_stored_ssns(demo, private_media):
    import importlib

    run(hb.valid_export())
    Client.objects.update(ssn_invalid=False)  # as rows imported before the column existed
    from django.apps import apps

    fill = importlib.import_module("hmis.migrations.0004_client_ssn_invalid").fill
    fill(apps, None)
    assert Client.objects.filter(ssn_invalid=True).count() == 2


def test_importing_the_same_file_twice_changes_nothing(demo, private_media):
    data = hb.valid_export()
    run(data)
    before = snapshot()
    second = run(data)
    assert second.status == "succeeded"
    assert snapshot() == before
    assert any("none (same data)" in note for note in second.notes)


def test_a_new_full_export_replaces_only_its_own_source(demo, private_media):
    run(hb.valid_export(), source="main")
    run(hb.valid_export(), source="other")
    files = hb.valid_files()
    files["Client"] = files["Client"][:1]
    files["Enrollment"] = files["Enrollment"][:1]
    files["Exit"] = []
    result = run(hb.build(files), source="main")
    assert result.status == "succeeded", result.errors
    main, other = Source.objects.get(key="main"), Source.objects.get(key="other")
    assert list(Client.objects.filter(source=main).values_list("personal_id", flat=True)) == ["P1"]
    assert Client.objects.filter(source=other).count() == 2
    assert Exit.objects.filter(source=other).count() == 1
    assert Exit.objects.filter(source=main).count() == 0


def test_a_full_reimport_keeps_primary_keys_of_unchanged_clients(demo, private_media):
    run(hb.valid_export())
    pk = Client.objects.get(personal_id="P1").pk
    run(hb.build(hb.changed(Client={1: {"LastName": "Lopes"}})))
    assert Client.objects.get(personal_id="P1").pk == pk
    assert Client.objects.get(personal_id="P2").last_name == "Lopes"


def test_a_delta_export_updates_by_date_updated_and_applies_date_deleted(demo, private_media):
    run(hb.valid_export())
    delta = {
        "Export": [{**hb.EXPORT, "ExportPeriodType": "1", "ExportDirective": "1"}],
        "Client": [
            # newer: applied
            {
                **hb.valid_files()["Client"][0],
                "LastName": "Lopez-Diaz",
                "DateUpdated": "2025-02-01 10:00:00",
            },
            # older than what we hold: ignored
            {
                **hb.valid_files()["Client"][1],
                "LastName": "Old",
                "DateUpdated": "2024-12-01 10:00:00",
            },
        ],
        "Enrollment": [
            {
                **hb.valid_files()["Enrollment"][1],
                "DateUpdated": "2025-02-01 10:00:00",
                "DateDeleted": "2025-02-01 10:00:00",
            }
        ],
        # a new service for an enrollment that only earlier imports hold
        "Services": [
            {**hb.valid_files()["Services"][0], "ServicesID": "S2", "DateProvided": "2025-01-07"}
        ],
    }
    result = run(hb.build(delta))
    assert result.status == "succeeded", result.errors
    assert Client.objects.get(personal_id="P1").last_name == "Lopez-Diaz"
    assert Client.objects.get(personal_id="P2").last_name == "Lopez"
    assert Enrollment.objects.get(enrollment_id="N2").date_deleted is not None
    assert Enrollment.objects.live().count() == 1
    assert Services.objects.count() == 2  # S1 kept: a delta deletes nothing it does not name
    assert IncomeBenefits.objects.count() == 1


def test_an_fy2024_export_is_mapped_to_fy2026_and_the_report_says_so(demo, private_media):
    files = hb.valid_files()
    files["Export"][0]["CSVVersion"] = "2024 v1.4"
    for row in files["Client"]:
        row["HispanicLatinaeo"] = "1"
        row["Woman"] = "1"
    result = run(hb.build(files, version="2024"))
    assert result.status == "succeeded", result.errors
    assert Client.objects.get(personal_id="P1").hispanic_latinao == 1
    assert Client.objects.get(personal_id="P1").sex is None
    assert any("FY2024 export" in note and "HispanicLatinao" in note for note in result.notes)


def test_the_same_person_in_two_sources_becomes_a_candidate_never_merged(demo, private_media):
    from hmis.models import ClientCandidate

    run(hb.valid_export(), source="main")
    run(hb.valid_export(), source="other")
    candidates = ClientCandidate.objects.all()
    # One candidate per pair, under the first rule that matched.
    assert [c.rule for c in candidates] == ["name_dob", "name_dob"]
    assert {(c.client.personal_id, c.other.personal_id) for c in candidates} == {
        ("P1", "P1"),
        ("P2", "P2"),
    }
    assert Client.objects.count() == 4  # nothing merged
    assert all(c.status == "pending" for c in candidates)


def test_victim_service_provider_client_data_is_refused(demo, private_media):
    files = hb.changed(Organization={0: {"VictimServiceProvider": "1"}})
    result = run(hb.build(files))
    assert result.status == "failed"
    assert [(e["file"], e["line"], e["column"]) for e in result.errors] == [
        ("Organization.csv", 2, "VictimServiceProvider")
    ]
    assert "victim service provider" in result.errors[0]["message"]
    assert "comparable database" in result.errors[0]["message"]
    assert Client.objects.count() == 0


@pytest.mark.skipif(not EVA.exists(), reason=f"the Eva demo export is not at {EVA}")
def test_the_eva_demo_export_imports_with_every_deviation_reported(demo, private_media):
    result = import_export(EVA, "XX-500", "eva")
    assert result.status == "succeeded", result.errors[:5]
    assert result.errors == []
    assert result.counts["Client"] == 4146 and result.counts["Enrollment"] == 4771
    assert Client.objects.filter(source__key="eva").count() == 4146
    found = {(w["file"], w["column"], w["line"]) for w in result.warnings}
    assert found == {
        ("Client.csv", "Sex", 1),
        ("Enrollment.csv", "MentalHealthConsultation", 1),
        ("Client.csv", "DateUpdated", 2),
        ("Client.csv", "RaceNone", 4147),
        ("ProjectCoC.csv", "Geocode", 14),
        ("Enrollment.csv", "DateUpdated", 2),
        ("Exit.csv", "DateUpdated", 2476),
        ("IncomeBenefits.csv", "DateCreated", 62),
        ("IncomeBenefits.csv", "DateUpdated", 62),
        ("HealthAndDV.csv", "DateCreated", 62),
        ("HealthAndDV.csv", "DateUpdated", 62),
        ("EmploymentEducation.csv", "DateCreated", 62),
        ("EmploymentEducation.csv", "DateUpdated", 62),
        ("Disabilities.csv", "DateCreated", 140),
        ("Disabilities.csv", "DateUpdated", 140),
        ("CurrentLivingSituation.csv", "CurrentLivingSituation", 28),
        ("YouthEducationStatus.csv", "DateUpdated", 3219),
    }
    dates = next(
        w for w in result.warnings if w["column"] == "DateUpdated" and w["file"] == "Client.csv"
    )
    assert "read as DD-MM-YY" in dates["message"] and "2021-11-03" in dates["message"]
    client = Client.objects.get(source__key="eva", personal_id="2615")
    assert client.date_updated.date().isoformat() == "2021-11-03"
    assert client.ssn_last4 == ""  # hashed export: no last four to show
    assert any("HashStatus 4" in note for note in result.notes)
