"""Builders of small, clean HMIS records for data-quality tests and the demo.

``HmisBuilder(coc, agency)`` makes a source, an organization and projects; ``client()``,
``enrollment()``, ``exit()`` make records that pass every rule unless a keyword says otherwise.
Clean means: full name, a valid SSN, an adult DOB, a race, sex, veteran status, answered
enrollment elements, an income record at start, and records entered the day of the event.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from hmis import models as hmis
from hmis import pii

_ids = itertools.count(1)


def at(day: dt.date, lag_days: int = 0) -> dt.datetime:
    """A DateCreated ``lag_days`` after ``day``, at noon in the CoC's time zone."""
    moment = dt.datetime.combine(day + dt.timedelta(days=lag_days), dt.time(12))
    return timezone.make_aware(moment)


class HmisBuilder:
    """Creates HMIS records of one source in one CoC, linked to one agency."""

    def __init__(self, coc, agency, key: str | None = None, as_of: dt.date | None = None):
        self.coc, self.agency = coc, agency
        self.as_of = as_of or timezone.localdate()
        n = next(_ids)
        self.source = hmis.Source.objects.create(
            coc=coc, key=key or f"src{n}", name=f"Source {n}", software_name="test", agency=None
        )
        self.organization = hmis.Organization.objects.create(
            source=self.source,
            coc=coc,
            organization_id=f"O{n}",
            organization_name=agency.name,
            victim_service_provider=0,
            agency=agency,
            date_created=at(self.as_of, -2000),
            date_updated=at(self.as_of, -2000),
        )
        self._projects: dict = {}

    def project(self, project_type: int = 0, **kw) -> hmis.Project:
        key = (project_type, tuple(sorted(kw.items())))
        if key in self._projects:
            return self._projects[key]
        n = next(_ids)
        values = dict(
            source=self.source,
            coc=self.coc,
            organization=self.organization,
            agency=self.agency,
            project_id=f"P{n}",
            hud_organization_id=self.organization.organization_id,
            project_name=f"Project {n} (type {project_type})",
            operating_start_date=self.as_of - dt.timedelta(days=4000),
            continuum_project=1,
            project_type=project_type,
            date_created=at(self.as_of, -4000),
            date_updated=at(self.as_of, -4000),
        )
        values.update(kw)
        project = hmis.Project.objects.create(**values)
        self._projects[key] = project
        return project

    def client(self, **kw) -> hmis.Client:
        n = next(_ids)
        ssn = kw.pop("ssn", f"{123 + n % 500:03d}{45 + n % 50:02d}{1000 + n:04d}")
        first, last = kw.get("first_name", f"First{n}"), kw.get("last_name", f"Last{n}")
        values = dict(
            source=self.source,
            coc=self.coc,
            personal_id=f"C{n}",
            first_name=first,
            last_name=last,
            name_data_quality=1,
            ssn_data_quality=1,
            dob=dt.date(1980, 5, 17),
            dob_data_quality=1,
            sex=1,
            am_ind_ak_native=0,
            asian=0,
            black_af_american=0,
            hispanic_latinao=0,
            mid_east_n_african=0,
            native_hi_pacific=0,
            white=1,
            race_none=None,
            veteran_status=0,
            date_created=at(self.as_of, -1000),
            date_updated=at(self.as_of, -1000),
            **pii.client_keys(first, last, ssn, hashed=False),
        )
        values.update(kw)
        return hmis.Client.objects.create(**values)

    def enrollment(self, client=None, project=None, entry: dt.date | None = None, **kw):
        client = client or self.client()
        project = project or self.project()
        entry = entry or self.as_of - dt.timedelta(days=30)
        n = next(_ids)
        income = kw.pop("income", True)
        values = dict(
            source=self.source,
            coc=self.coc,
            enrollment_id=f"E{n}",
            personal_id=client.personal_id,
            hud_project_id=project.project_id,
            entry_date=entry,
            household_id=kw.pop("household_id", f"H{n}"),
            relationship_to_hoh=1,
            enrollment_coc=self.coc.code,
            living_situation=116,
            length_of_stay=2,
            previous_street_essh=1,
            date_to_street_essh=entry - dt.timedelta(days=20),
            times_homeless_past_three_years=1,
            months_homeless_past_three_years=101,
            disabling_condition=0,
            date_of_engagement=entry if project.project_type == 4 else None,
            move_in_date=entry if project.project_type in (3, 13) else None,
            client=client,
            project=project,
            agency=self.agency,
            date_created=at(entry),
            date_updated=at(entry),
        )
        values.update(kw)
        enrollment = hmis.Enrollment.objects.create(**values)
        if income:
            self.income(enrollment, entry, stage=1)
        return enrollment

    def income(self, enrollment, day: dt.date, stage: int = 1, answer: int = 0, **kw):
        n = next(_ids)
        values = dict(
            source=self.source,
            coc=self.coc,
            income_benefits_id=f"I{n}",
            hud_enrollment_id=enrollment.enrollment_id,
            personal_id=enrollment.personal_id,
            information_date=day,
            income_from_any_source=answer,
            data_collection_stage=stage,
            enrollment=enrollment,
            agency=self.agency,
            date_created=at(day),
            date_updated=at(day),
        )
        values.update(kw)
        return hmis.IncomeBenefits.objects.create(**values)

    def exit(self, enrollment, exit_date: dt.date | None = None, income: bool = True, **kw):
        exit_date = exit_date or enrollment.entry_date + dt.timedelta(days=10)
        n = next(_ids)
        values = dict(
            source=self.source,
            coc=self.coc,
            exit_id=f"X{n}",
            hud_enrollment_id=enrollment.enrollment_id,
            personal_id=enrollment.personal_id,
            exit_date=exit_date,
            destination=410,
            enrollment=enrollment,
            agency=self.agency,
            date_created=at(exit_date),
            date_updated=at(exit_date),
        )
        values.update(kw)
        record = hmis.Exit.objects.create(**values)
        if income:
            self.income(enrollment, exit_date, stage=3)
        return record
