"""Permission matrix rows for the hmis app: imports, sources, client records, export, logs.

The records live in source "main" of XX-500 (Agency A's shelter); the import run and the
agency's own source belong to Agency A. Nobody in Agency B or in XX-501 may see any of them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .base import COC_WIDE, Row, statuses, url

AGENCY_A = {"director_a": 200, "dqm_a": 200, "staff_a": 200}
IMPORTERS = {"cocadmin": 200, "dqm_a": 200, "dqm_b": 200, "cocadmin2": 200}


def records(demo):
    """Create (once per test) a small set of Agency A records through the ORM."""
    cached = getattr(demo, "_hmis_records", None)
    if cached:
        return cached
    from hmis import models as m

    now = timezone.now()
    audit = {"date_created": now, "date_updated": now, "user_id": "U1", "export_id": "E1"}
    main = m.Source.objects.create(coc=demo.xx500, key="main", name="Main HMIS")
    own = m.Source.objects.create(
        coc=demo.xx500, key="a-own", name="Agency A system", agency=demo.agency_a
    )
    other = m.Source.objects.create(coc=demo.xx500, key="other", name="Other HMIS")
    base = {"source": main, "coc": demo.xx500}
    org = m.Organization.objects.create(
        **base,
        organization_id="A",
        organization_name="Harbor Light",
        victim_service_provider=0,
        agency=demo.agency_a,
        **audit,
    )
    project = m.Project.objects.create(
        **base,
        project_id="A-ES1",
        hud_organization_id="A",
        organization=org,
        agency=demo.agency_a,
        agency_project=demo.project_a,
        project_name="Harbor Light ES",
        operating_start_date=dt.date(2020, 1, 1),
        continuum_project=1,
        project_type=0,
        **audit,
    )
    client_fields = {
        "first_name": "Ana",
        "last_name": "Lopez",
        "name_data_quality": 1,
        "ssn_data_quality": 1,
        "dob": dt.date(1980, 2, 3),
        "dob_data_quality": 1,
        "am_ind_ak_native": 0,
        "asian": 0,
        "black_af_american": 0,
        "hispanic_latinao": 0,
        "mid_east_n_african": 0,
        "native_hi_pacific": 0,
        "white": 1,
        "veteran_status": 0,
        "ssn_last4": "6789",
        **audit,
    }
    client = m.Client.objects.create(**base, personal_id="P1", **client_fields)
    twin = m.Client.objects.create(source=other, coc=demo.xx500, personal_id="Q7", **client_fields)
    enrollment = m.Enrollment.objects.create(
        **base,
        enrollment_id="N1",
        personal_id="P1",
        hud_project_id="A-ES1",
        client=client,
        project=project,
        agency=demo.agency_a,
        entry_date=dt.date(2025, 1, 5),
        household_id="H1",
        relationship_to_hoh=1,
        **audit,
    )
    run = m.ImportRun.objects.create(
        coc=demo.xx500, source=own, file="hmis-imports/none.zip", status="failed"
    )
    candidate = m.ClientCandidate.objects.create(
        coc=demo.xx500, client=client, other=twin, rule="name_dob"
    )
    log = m.PIIAccessLog.objects.create(
        coc=demo.xx500,
        agency=demo.agency_a,
        user=demo.user("dqm_a"),
        client=client,
        source=main,
        personal_id="P1",
        where="/records/clients/1/",
    )
    demo._hmis_records = {
        "client": client.pk,
        "enrollment": enrollment.pk,
        "run": run.pk,
        "source": own.pk,
        "candidate": candidate.pk,
        "log": log.pk,
    }
    return demo._hmis_records


def pk(name):
    return lambda demo: records(demo)[name]


A_RECORDS = {**COC_WIDE, **AGENCY_A}
RUN_VIEWERS = {"cocadmin": 200, "dqm_a": 200}
LOG_VIEWERS = {"cocadmin": 200, "dqm_a": 200}

API_ROWS = [
    Row("hmis-import-list", "GET", url("hmis-import-list"), statuses(200, 401)),
    Row(
        "hmis-import-list",
        "POST",
        url("hmis-import-list"),
        # Without a file the upload is refused: 400 for those who may upload, 403 otherwise.
        statuses(403, 401, **{k: 400 for k in IMPORTERS}),
        body=lambda demo: {"coc": "XX-500", "source": "main"},
        label="POST hmis-import-list (no file)",
    ),
    Row(
        "hmis-import-detail",
        "GET",
        url("hmis-import-detail", pk("run")),
        statuses(404, 401, **RUN_VIEWERS),
    ),
    Row("hmis-source-list", "GET", url("hmis-source-list"), statuses(200, 401)),
    Row(
        "hmis-source-list",
        "POST",
        url("hmis-source-list"),
        # Registering a vendor system is the CoC HMIS administrator's (import_data on the CoC).
        statuses(403, 401, cocadmin=201, cocadmin2=400),
        body=lambda demo: {"coc": demo.xx500.pk, "key": "clarity", "name": "Clarity HMIS"},
    ),
    Row(
        "hmis-source-detail",
        "PATCH",
        url("hmis-source-detail", pk("source")),
        statuses(403, 401, cocadmin=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {"software_name": "Clarity"},
    ),
    Row(
        "hmis-source-detail",
        "PUT",
        url("hmis-source-detail", pk("source")),
        statuses(403, 401, cocadmin=200, dqm_b=404, cocadmin2=404),
        body=lambda demo: {
            "coc": demo.xx500.pk,
            "key": "a-own",
            "name": "Agency A system",
            "agency": demo.agency_a.pk,
        },
    ),
    Row(
        "hmis-source-detail",
        "GET",
        url("hmis-source-detail", pk("source")),
        statuses(404, 401, **A_RECORDS),
    ),
    Row("client-list", "GET", url("client-list"), statuses(200, 401)),
    Row(
        "client-detail", "GET", url("client-detail", pk("client")), statuses(404, 401, **A_RECORDS)
    ),
    Row("enrollment-list", "GET", url("enrollment-list"), statuses(200, 401)),
    Row(
        "enrollment-detail",
        "GET",
        url("enrollment-detail", pk("enrollment")),
        statuses(404, 401, **A_RECORDS),
    ),
    Row("client-candidate-list", "GET", url("client-candidate-list"), statuses(200, 401)),
    Row(
        "client-candidate-detail",
        "GET",
        url("client-candidate-detail", pk("candidate")),
        statuses(404, 401, cocadmin=200),
    ),
    Row("pii-access-list", "GET", url("pii-access-list"), statuses(200, 401)),
    Row(
        "pii-access-detail",
        "GET",
        url("pii-access-detail", pk("log")),
        statuses(404, 401, **LOG_VIEWERS),
    ),
]


def _record_rows():
    from hmis.api.urls import kebab
    from hmis.api.views import RECORD_VIEWSETS

    return [
        Row(f"hmis-{kebab(file)}-list", "GET", url(f"hmis-{kebab(file)}-list"), statuses(200, 401))
        for file in RECORD_VIEWSETS
    ]


PAGE_ROWS = [
    Row("hmis:import_list", "GET", url("hmis:import_list"), statuses(200, 302), api=False),
    Row(
        "hmis:import_add", "GET", url("hmis:import_add"), statuses(403, 302, **IMPORTERS), api=False
    ),
    Row(
        "hmis:import",
        "GET",
        url("hmis:import", pk("run")),
        statuses(404, 302, **RUN_VIEWERS),
        api=False,
    ),
    Row("hmis:source_list", "GET", url("hmis:source_list"), statuses(200, 302), api=False),
    Row(
        "hmis:source_add",
        "GET",
        url("hmis:source_add"),
        statuses(403, 302, cocadmin=200, cocadmin2=200),
        api=False,
    ),
    Row(
        "hmis:source_edit",
        "GET",
        url("hmis:source_edit", pk("source")),
        statuses(403, 302, cocadmin=200, dqm_b=404, cocadmin2=404),
        api=False,
    ),
    Row(
        "hmis:source",
        "GET",
        url("hmis:source", pk("source")),
        statuses(404, 302, **A_RECORDS),
        api=False,
    ),
    Row("hmis:client_list", "GET", url("hmis:client_list"), statuses(200, 302), api=False),
    Row(
        "hmis:client",
        "GET",
        url("hmis:client", pk("client")),
        statuses(404, 302, **A_RECORDS),
        api=False,
    ),
    Row("hmis:enrollment_list", "GET", url("hmis:enrollment_list"), statuses(200, 302), api=False),
    Row(
        "hmis:enrollment",
        "GET",
        url("hmis:enrollment", pk("enrollment")),
        statuses(404, 302, **A_RECORDS),
        api=False,
    ),
    Row("hmis:candidate_list", "GET", url("hmis:candidate_list"), statuses(200, 302), api=False),
    Row(
        "hmis:candidate",
        "GET",
        url("hmis:candidate", pk("candidate")),
        statuses(404, 302, cocadmin=200),
        api=False,
    ),
    Row("hmis:access_log", "GET", url("hmis:access_log"), statuses(200, 302), api=False),
    Row("hmis:export", "GET", url("hmis:export"), statuses(200, 302), api=False),
]

ROWS = API_ROWS + _record_rows() + PAGE_ROWS
