"""Agency compliance: the seed's partner-agency duties as live checks with their evidence.

Each check is computed for every agency of a CoC at once (a handful of set-based queries, no
query per agency). A check answers ``pass``, ``gap`` or ``unknown`` (the data it needs does not
exist yet, e.g. no data-quality scan has run), or ``n/a`` where the duty does not apply (a
victim service provider keeps no client data in HMIS).

Results of other apps (data-quality scans, PIT/HIC and APR reports) are read only if those apps
provide them: see ``external_results``.
"""

from __future__ import annotations

import datetime
import importlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from agencies.models import Agency
from governance.models import Agreement, Certificate, Course
from hmis.codes import HMISParticipationType
from roles.models import RoleAssignment, User

PASS, GAP, UNKNOWN, NA = "pass", "gap", "unknown", "n/a"

DUTIES = [
    ("hmis_admin", "HMIS administrator designated"),
    ("executive", "Executive named"),
    ("participation_agreement", "Participation agreement current"),
    ("staff_trained", "Staff trained"),
    ("consents", "Consents maintained"),
    ("pit_hic", "PIT and HIC verified"),
    ("data_quality", "Data quality within the plan's benchmarks"),
    ("apr", "APR data reviewed"),
]


@dataclass
class Check:
    status: str
    evidence: str


@dataclass
class AgencyCompliance:
    agency: Agency
    checks: dict[str, Check] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[str, str, Check]]:
        return [(key, label, self.checks[key]) for key, label in DUTIES]

    @property
    def gaps(self) -> int:
        return sum(1 for c in self.checks.values() if c.status == GAP)

    @property
    def passes(self) -> int:
        return sum(1 for c in self.checks.values() if c.status == PASS)


def participating(agencies):
    return agencies.filter(
        is_active=True, participation_status=HMISParticipationType.HMIS_PARTICIPATING
    )


def _role_holders(agency_ids, role_key: str, on) -> dict[int, list[str]]:
    holders = defaultdict(list)
    rows = (
        RoleAssignment.objects.active(on)
        .filter(agency_id__in=agency_ids, role__key=role_key, user__is_active=True)
        .values_list("agency_id", "user__first_name", "user__last_name", "user__username")
        .order_by("user__last_name")
    )
    for agency_id, first, last, username in rows:
        holders[agency_id].append(f"{first} {last}".strip() or username)
    return holders


def _agreements(agency_ids, on) -> tuple[dict[int, Agreement], dict[int, Agreement]]:
    current, latest = {}, {}
    rows = (
        Agreement.objects.filter(agency_id__in=agency_ids, kind=Agreement.Kind.PARTICIPATION)
        .order_by("agency_id", "-executed_on", "-pk")
        .only("pk", "agency_id", "executed_on", "expires_on", "agency_signed_on", "title")
    )
    for agreement in rows:
        latest.setdefault(agreement.agency_id, agreement)
        in_force = (
            agreement.agency_signed_on
            and agreement.executed_on
            and agreement.executed_on <= on
            and (agreement.expires_on is None or agreement.expires_on > on)
        )
        if in_force:
            current.setdefault(agreement.agency_id, agreement)
    return current, latest


def _training(agency_ids, on) -> dict[int, tuple[int, list[str]]]:
    """agency -> (active staff, names of those missing a required course)."""
    staff = list(
        User.objects.filter(agency_id__in=agency_ids, is_active=True).values_list(
            "pk", "agency_id", "first_name", "last_name", "username"
        )
    )
    done = defaultdict(set)
    certs = (
        Certificate.objects.current(on)
        .filter(user__agency_id__in=agency_ids, course__kind__in=Course.REQUIRED_FOR_ACCESS)
        .values_list("user_id", "course__kind")
    )
    for user_id, kind in certs:
        done[user_id].add(kind)
    required = set(Course.REQUIRED_FOR_ACCESS)
    result: dict[int, tuple[int, list[str]]] = {}
    for user_id, agency_id, first, last, username in staff:
        count, missing = result.get(agency_id, (0, []))
        if not required <= done[user_id]:
            missing = [*missing, f"{first} {last}".strip() or username]
        result[agency_id] = (count + 1, missing)
    return result


def external_results(coc, agency_ids, on) -> dict[str, dict[int, Check]]:
    """Checks that other apps answer, if they provide ``<app>.compliance.agency_checks``.

    The data-quality and reports apps are built separately; each may expose
    ``agency_checks(coc, agency_ids, on) -> {duty key: {agency id: (status, evidence)}}`` for
    the duties it knows (``data_quality``; ``pit_hic`` and ``apr``). Until one does, those duties
    read "unknown" with the reason.
    """
    found: dict[str, dict[int, Check]] = {
        "data_quality": _data_quality_checks(coc, agency_ids),
        **_report_checks(coc, agency_ids),
    }
    for app in ("dataquality", "reports", "hmis"):
        try:
            module = importlib.import_module(f"{app}.compliance")
        except ImportError:
            continue
        provider = getattr(module, "agency_checks", None)
        if provider is None:
            continue
        for duty, per_agency in provider(coc, agency_ids, on).items():
            found.setdefault(duty, {}).update(
                {aid: Check(status, evidence) for aid, (status, evidence) in per_agency.items()}
            )
    return found


def _data_quality_checks(coc, agency_ids) -> dict[int, Check]:
    """Each agency's latest data-quality scan against the CoC's Data Quality Plan benchmarks.

    Read from the dataquality app when it is installed (imported at call time); an agency
    without a finished scan stays "unknown". A few queries per agency (the plan and the scan's
    grouped results), agencies being tens, not thousands.
    """
    try:
        from dataquality.scorecards import card, latest_scan
    except ImportError:
        return {}
    checks = {}
    for agency_id in agency_ids:
        scan = latest_scan(coc.pk, agency_id)
        if scan is None:
            continue
        lines = card(scan, agency_id=agency_id)
        over = [line.label for line in lines if line.passes is False]
        when = f"scan of {scan.as_of:%Y-%m-%d}"
        if over:
            checks[agency_id] = Check(
                GAP, f"Outside the plan's benchmarks ({when}): {'; '.join(over)}"
            )
        elif any(line.passes for line in lines):
            checks[agency_id] = Check(PASS, f"Within every benchmark of the plan ({when}).")
    return checks


def _report_checks(coc, agency_ids) -> dict[str, dict[int, Check]]:
    """PIT/HIC verified and APR data reviewed, from the reports app's verifications.

    The latest report of each kind in the CoC is the one to verify; an agency passes when it
    verified (PIT, HIC) or signed off (APR) that report. Two queries for all agencies.
    """
    try:
        from reports.models import Report, Verification
    except ImportError:
        return {}
    latest = {}
    for report in Report.objects.filter(coc=coc, kind__in=["pit", "hic", "apr"]).order_by(
        "kind", "-created"
    ):
        latest.setdefault(report.kind, report)
    if not latest:
        return {}
    done = set(
        Verification.objects.filter(
            report__in=[r.pk for r in latest.values()],
            agency_id__in=agency_ids,
            decision__in=["verified", "signed_off"],
        ).values_list("report_id", "agency_id")
    )
    result: dict[str, dict[int, Check]] = {}
    pit_hic = [latest[k] for k in ("pit", "hic") if k in latest]
    for agency_id in agency_ids:
        if pit_hic:
            missing = [r for r in pit_hic if (r.pk, agency_id) not in done]
            names = ", ".join(f"{r.get_kind_display()} ({r.name or r.pk})" for r in missing)
            result.setdefault("pit_hic", {})[agency_id] = (
                Check(GAP, f"Not verified yet: {names}")
                if missing
                else Check(
                    PASS,
                    "Verified the latest " + " and ".join(r.kind.upper() for r in pit_hic) + ".",
                )
            )
        if "apr" in latest:
            apr = latest["apr"]
            result.setdefault("apr", {})[agency_id] = (
                Check(PASS, f"Signed off the APR data ({apr.name or apr.pk}).")
                if (apr.pk, agency_id) in done
                else Check(GAP, f"APR data not reviewed yet ({apr.name or apr.pk}).")
            )
    return result


def compliance_for(coc, agencies, on: datetime.date | None = None) -> list[AgencyCompliance]:
    """Every duty for every agency in ``agencies`` (already restricted by the caller)."""
    on = on or timezone.localdate()
    agencies = list(participating(agencies).filter(coc=coc).order_by("name"))
    ids = [a.pk for a in agencies]
    admins = _role_holders(ids, "agency_hmis_admin", on)
    executives = _role_holders(ids, "agency_executive", on)
    current, latest = _agreements(ids, on)
    training = _training(ids, on)
    external = external_results(coc, ids, on)
    from governance.consent import consent_checks

    consents = consent_checks(ids, on)
    rows = []
    for agency in agencies:
        row = AgencyCompliance(agency)
        names = admins.get(agency.pk)
        row.checks["hmis_admin"] = (
            Check(PASS, f"Designated: {', '.join(names)}")
            if names
            else Check(GAP, "Nobody holds the agency HMIS administrator role.")
        )
        names = executives.get(agency.pk)
        row.checks["executive"] = (
            Check(PASS, f"Named: {', '.join(names)}")
            if names
            else Check(GAP, "Nobody holds the agency executive role.")
        )
        agreement = current.get(agency.pk)
        if agreement:
            until = f"until {agreement.expires_on:%Y-%m-%d}" if agreement.expires_on else ""
            row.checks["participation_agreement"] = Check(
                PASS, f"{agreement.title}, executed {agreement.executed_on:%Y-%m-%d} {until}"
            )
        elif agency.pk in latest:
            old = latest[agency.pk]
            row.checks["participation_agreement"] = Check(
                GAP, f"{old.title} is {old.status}; renew or execute it."
            )
        else:
            row.checks["participation_agreement"] = Check(
                GAP, "No participation agreement on file."
            )
        count, missing = training.get(agency.pk, (0, []))
        if count == 0:
            row.checks["staff_trained"] = Check(UNKNOWN, "No active staff accounts.")
        elif missing:
            row.checks["staff_trained"] = Check(
                GAP, f"{len(missing)} of {count} due: {', '.join(missing)}"
            )
        else:
            row.checks["staff_trained"] = Check(
                PASS, f"All {count} active staff hold current required certificates."
            )
        row.checks["consents"] = (
            Check(NA, "Victim service provider: no client data in HMIS.")
            if agency.victim_service_provider
            else consents.get(agency.pk, Check(UNKNOWN, "No client records imported yet."))
        )
        for duty, reason in (
            ("pit_hic", "No PIT/HIC report verification recorded yet."),
            ("data_quality", "No data-quality scan yet."),
            ("apr", "No APR review recorded yet."),
        ):
            row.checks[duty] = external.get(duty, {}).get(agency.pk, Check(UNKNOWN, reason))
        rows.append(row)
    return rows
