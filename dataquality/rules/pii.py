"""APR/CAPER Q6a — personally identifiable information (REFERENCE.md §3.2), on Client.csv.

Each element is split the way HUD's table is: B "client doesn't know / prefers not to answer",
C "information missing", D "data issues". Columns are mutually exclusive (B, then C, then D), so
each rule excludes the earlier columns of its row.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate

from hmis.models import Enrollment

from .base import DK_PNTA, NOT_COLLECTED, Context

RACE_COLUMNS = (
    "am_ind_ak_native",
    "asian",
    "black_af_american",
    "hispanic_latinao",
    "mid_east_n_african",
    "native_hi_pacific",
    "white",
)
EARLIEST_DOB = dt.date(1915, 1, 1)


# --- Name (3.01) ----------------------------------------------------------------------------------
def name_dkpnta(clients: QuerySet, context: Context) -> QuerySet:
    return clients.filter(name_data_quality__in=DK_PNTA)


def name_missing(clients: QuerySet, context: Context) -> QuerySet:
    blank = Q(first_name="") | Q(last_name="")
    return clients.exclude(name_data_quality__in=DK_PNTA).filter(
        Q(name_data_quality=NOT_COLLECTED) | blank
    )


def name_issue(clients: QuerySet, context: Context) -> QuerySet:
    return clients.filter(name_data_quality=2).exclude(first_name="").exclude(last_name="")


# --- SSN (3.02) -----------------------------------------------------------------------------------
def ssn_dkpnta(clients: QuerySet, context: Context) -> QuerySet:
    return clients.filter(ssn_data_quality__in=DK_PNTA)


def ssn_missing(clients: QuerySet, context: Context) -> QuerySet:
    return clients.exclude(ssn_data_quality__in=DK_PNTA).filter(
        Q(ssn_data_quality=NOT_COLLECTED) | Q(ssn_encrypted="")
    )


def ssn_candidates(clients: QuerySet, context: Context) -> QuerySet:
    """Clients whose SSN must be tested for validity (not in columns B or C)."""
    return clients.exclude(ssn_data_quality__in=(*DK_PNTA, NOT_COLLECTED)).exclude(ssn_encrypted="")


def ssn_issue(clients: QuerySet, context: Context) -> QuerySet:
    """Clients whose SSN fails HUD's validity test: ``Client.ssn_invalid``, which the importer
    sets with ``hmis.pii.ssn_invalid`` while the SSN is in clear (it is stored encrypted)."""
    return ssn_candidates(clients, context).filter(ssn_invalid=True)


# --- DOB (3.03) -----------------------------------------------------------------------------------
def dob_dkpnta(clients: QuerySet, context: Context) -> QuerySet:
    return clients.filter(dob__isnull=True, dob_data_quality__in=DK_PNTA)


def dob_missing(clients: QuerySet, context: Context) -> QuerySet:
    return clients.filter(dob__isnull=True).exclude(dob_data_quality__in=DK_PNTA)


def dob_issue(clients: QuerySet, context: Context) -> QuerySet:
    # HUD: "for adults and HoH only, DOB on/after project start date". A DOB on or after entry
    # makes the age negative, so only the head-of-household part can ever apply. An
    # uncorrelated set (hashed once), not an EXISTS per client: the APR's Q6a ran that as an
    # index probe per client (1.3 s at 200,000 clients).
    head_entered_before_birth = Q(
        pk__in=Enrollment.objects.filter(
            date_deleted__isnull=True,
            relationship_to_hoh=1,
            entry_date__lte=F("client__dob"),
        ).values("client_id")
    )
    return clients.filter(dob__isnull=False).filter(
        Q(dob_data_quality__in=(*DK_PNTA, NOT_COLLECTED, 2))
        | Q(dob__lt=EARLIEST_DOB)
        | Q(dob__gt=TruncDate("date_created"))
        | head_entered_before_birth
    )


# --- Race and ethnicity (3.04) --------------------------------------------------------------------
def _no_race() -> Q:
    return Q(**{column: 0 for column in RACE_COLUMNS}) | Q(
        **{f"{column}__isnull": True for column in RACE_COLUMNS}
    )


def race_dkpnta(clients: QuerySet, context: Context) -> QuerySet:
    # HUD counts RaceNone 8/9 "even if a race value is also present".
    return clients.filter(race_none__in=DK_PNTA)


def race_missing(clients: QuerySet, context: Context) -> QuerySet:
    return clients.exclude(race_none__in=DK_PNTA).filter(Q(race_none=NOT_COLLECTED) | _no_race())


# --- Sex (3.06, FY2026; replaces gender) ----------------------------------------------------------
def sex_dkpnta(clients: QuerySet, context: Context) -> QuerySet:
    return clients.filter(sex__in=DK_PNTA)


def sex_missing(clients: QuerySet, context: Context) -> QuerySet:
    return clients.filter(Q(sex=NOT_COLLECTED) | Q(sex__isnull=True))


__all__ = [
    "F",
    "dob_dkpnta",
    "dob_issue",
    "dob_missing",
    "name_dkpnta",
    "name_issue",
    "name_missing",
    "race_dkpnta",
    "race_missing",
    "sex_dkpnta",
    "sex_missing",
    "ssn_dkpnta",
    "ssn_issue",
    "ssn_missing",
]
