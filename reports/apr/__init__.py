"""CoC APR questions (HUD CoC APR and ESG CAPER HMIS Programming Specifications, FY2026 V1.0).

Universe ("apr"): enrollments of the scope active in the report range (Glossary "Active
Clients": method 1 start/exit for every type but ES night-by-night; method 2 bed nights for
ES-NbN), Coordinated Entry (type 14) excluded as the spec's introduction requires. Ages are at
the later of project start and report start; each client counts once, on the latest stay.
Cell addresses are HUD's (columns A.., rows 1..; row 1 and column A are headers).

All 67 tables of the FY2026 APR are built (``ORDER``, the spec's Table of Questions). Modules:
this one (universe, Q4a, Q5a, Q6e, Q7a, Q8a, Q11), ``dq`` (Q6a–Q6d, Q6f from
``dataquality.rules``), ``population`` (Q7b, Q8b), ``demographics`` (Q12–Q17, Q24e),
``outcomes`` (Q22a1, Q25a, Q26b), ``people`` (Q9a/b, Q13a2–c2, Q26e, Q27m), ``income``
(Q18–Q21, Q27g–i), ``lengths`` (Q22b–g, Q27e, Q27j–l), ``exits`` (Q23c–e, Q24b, Q25i/j,
Q27f1/f2), ``subpopulations`` (Q25b/d, Q26a/d, Q27a/b/d), ``common`` (shared columns and
filters), ``derived`` (per-stay columns computed once per version). The DQ report is Q5a and
Q6a–Q6f as DQ Q1–Q7.
See docs/reports-apr.md.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Greatest, TruncDate
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from hmis.models import Services

from ..engine import (
    Table,
    day,
    facts,
    live_exit_date,
    scope_enrollments,
    snapshot,
)
from ..hud import ADULT_Q, CHILD_Q, HOH_Q, VETERAN_Q, chronic, household_has
from . import income_records
from .common import HOUSEHOLD_COLUMNS, HOUSEHOLD_Q, SPEC, UNIVERSE, dq_universe
from .common import cells as _cells
from .common import leaver as leaver_q
from .common import stayer as stayer_q
from .derived import REVISION, derive
from .flags import at_snapshot


def active_in_range(report):
    """Enrollments active in [start, end] (Glossary "Active Clients", REFERENCE §4.3)."""
    start, end = report.start, report.end
    bed_night_in_range = Services.objects.live().filter(
        enrollment=OuterRef("pk"),
        record_type=200,
        date_provided__gte=Greatest(OuterRef("entry_date"), day(start)),
        date_provided__lte=end,
    )
    method_1 = ~Q(project__project_type=1) & (Q(exit_on__isnull=True) | Q(exit_on__gte=start))
    method_2 = Q(project__project_type=1) & (
        Q(exit_on__gte=start, exit_on__lte=end)
        | ((Q(exit_on__isnull=True) | Q(exit_on__gt=end)) & Q(Exists(bed_night_in_range)))
    )
    return (
        scope_enrollments(report)
        .exclude(project__project_type=14)
        .filter(entry_date__lte=end)
        .annotate(exit_on=live_exit_date())
        .filter(method_1 | method_2)
    )


def build_universe(version) -> None:
    report = version.report
    # The household type, each client's latest stay and the household flags are written by the
    # INSERT itself (window functions over the universe), not by UPDATEs of every row.
    snapshot(
        version,
        UNIVERSE,
        active_in_range(report),
        Greatest("entry_date", day(report.start)),
        computed=at_snapshot(report),
        annotations=income_records.at_snapshot(report),
        whole=True,
    )
    derive(version)


def q5a(version) -> Table:
    """Q5a Report Validations Table (spec Q5a; Glossary DQ Q1; REFERENCE §4.1).

    B "Count of Clients for DQ" leaves out street outreach stays without a date of engagement
    on or before the report end; C counts everyone. Limitation: the latest stay is chosen
    before that filter (the glossary chooses after it), which differs only for a client whose
    latest stay is an un-engaged SO stay and who has another stay in range.
    """
    report = version.report
    end = report.end
    leaver, stayer = leaver_q(report), stayer_q(report)
    # The derived column (``reports.apr.flags.fill_youth``): no member 25 or older, one age known.
    youth = Q(youth_household=True, age__gte=12, age__lte=24)
    parenting = (
        youth
        & (HOH_Q | ADULT_Q)
        & household_has(version, UNIVERSE, CHILD_Q & Q(relationship_to_hoh=2))
    )
    year_ago = end - datetime.timedelta(days=365)
    long_hoh = HOH_Q & stayer & Q(entry_date__lte=year_ago)
    rows = [
        (2, "Total number of persons served", Q()),
        (3, "Number of adults (age 18 or over)", ADULT_Q),
        (4, "Number of children (under age 18)", CHILD_Q),
        (5, "Number of persons with unknown age", Q(age__isnull=True)),
        (6, "Number of leavers", leaver),
        (7, "Number of adult leavers", leaver & ADULT_Q),
        (8, "Number of adult and head of household leavers", leaver & (ADULT_Q | HOH_Q)),
        (9, "Number of stayers", stayer),
        (10, "Number of adult stayers", stayer & ADULT_Q),
        (11, "Number of veterans", VETERAN_Q),
        (12, "Number of chronically homeless persons", chronic(version, UNIVERSE)),
        (13, "Number of youth under age 25", youth),
        (14, "Number of parenting youth under age 25 with children", parenting),
        (15, "Number of adult heads of household", HOH_Q & ADULT_Q),
        (
            16,
            "Number of child and unknown-age heads of household",
            HOH_Q & (CHILD_Q | Q(age__isnull=True)),
        ),
        (
            17,
            "Heads of households and adult stayers in the project 365 days or more",
            long_hoh | (stayer & ADULT_Q & household_has(version, UNIVERSE, long_hoh)),
        ),
    ]
    engaged = dq_universe(report)
    return Table(
        key="Q5a",
        title="Report Validations Table",
        columns=[("B", "Count of Clients for DQ"), ("C", "Count of Clients")],
        rows=[(n, label) for n, label, _q in rows],
        cells=_cells([("B", engaged), ("C", Q())], [(n, q) for n, _l, q in rows]),
        source=f"{SPEC} Q5a; Glossary Data Quality Q1",
    )


def dob_unknown(dk: bool) -> Q:
    quality = Q(dob_data_quality__in=[8, 9])
    return Q(age__isnull=True) & (quality if dk else ~quality)


def q7a(version) -> Table:
    """Q7a Number of Persons Served (spec Q7a; REFERENCE §4.2). E2 and C3 are grayed.

    Row 7 (PSH and RRH): active clients whose housing move-in date is on or before the report
    end; household members inherit the head's move-in (Glossary "Handling Housing Move-In
    Dates"). Type 7 Pay for Success is not in scope (funder 35 is not read here).
    """
    end = version.report.end
    moved_in = Q(project_type__in=[3, 13]) & (
        Q(move_in_date__isnull=False, move_in_date__lte=end)
        | household_has(
            version,
            UNIVERSE,
            HOH_Q & Q(move_in_date__isnull=False, move_in_date__lte=end),
        )
    )
    rows = [
        (2, "Adults", ADULT_Q),
        (3, "Children", CHILD_Q),
        (4, "Client Doesn't Know/Prefers Not to Answer", dob_unknown(True)),
        (5, "Data Not Collected", dob_unknown(False)),
        (6, "Total", Q()),
        (7, "For PSH & RRH – the total persons served who moved into housing", moved_in),
    ]
    cells = _cells(HOUSEHOLD_Q, [(n, q) for n, _l, q in rows])
    grayed = {"E2", "C3"}
    for address in grayed:
        cells.pop(address)
    return Table(
        key="Q7a",
        title="Number of Persons Served",
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in rows],
        cells=cells,
        grayed=grayed,
        source=f"{SPEC} Q7a; Glossary Household Type",
    )


def q8a(version) -> Table:
    """Q8a Number of Households Served (spec Q8a): heads of household, by household type."""
    end = version.report.end
    rows = [
        (2, "Total Households", HOH_Q),
        (
            3,
            "For PSH & RRH – the total households served who moved into housing",
            HOH_Q & Q(project_type__in=[3, 13], move_in_date__isnull=False, move_in_date__lte=end),
        ),
    ]
    return Table(
        key="Q8a",
        title="Number of Households Served",
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in rows],
        cells=_cells(HOUSEHOLD_Q, [(n, q) for n, _l, q in rows]),
        source=f"{SPEC} Q8a; Glossary unduplicated household count (distinct HoH)",
    )


def q11(version) -> Table:
    """Q11 Age (spec Q11, the table shell of the CSV example in the spec's introduction)."""
    bands = [
        (0, 4, "Under 5"),
        (5, 12, "5-12"),
        (13, 17, "13-17"),
        (18, 24, "18-24"),
        (25, 34, "25-34"),
        (35, 44, "35-44"),
        (45, 54, "45-54"),
        (55, 64, "55-64"),
    ]
    rows = [(i + 2, label, Q(age__gte=lo, age__lte=hi)) for i, (lo, hi, label) in enumerate(bands)]
    rows += [
        (10, "65+", Q(age__gte=65)),
        (11, "Client Doesn't Know/Prefers Not to Answer", dob_unknown(True)),
        (12, "Data Not Collected", dob_unknown(False)),
        (13, "Total", Q()),
    ]
    return Table(
        key="Q11",
        title="Age",
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label) for n, label, _q in rows],
        cells=_cells(HOUSEHOLD_Q, [(n, q) for n, _l, q in rows]),
        source=f"{SPEC} Q11",
    )


def q6e(version) -> Table:
    """Q6e Timeliness (spec Q6e; Glossary DQ Q6; REFERENCE §3.6).

    B: clients whose project start is in the range, days = DateCreated − start date;
    C: leavers, days = the exit record's DateCreated − exit date. Calendar-day differences.
    """
    report = version.report
    start_lag = TruncDate("enrollment__date_created") - F("entry_date")
    exit_lag = TruncDate("enrollment__exit__date_created") - F("exit_date")

    def bucket(lag, low, high):
        q = Q()
        if low is not None:
            q &= Q(GreaterThanOrEqual(lag, Value(datetime.timedelta(days=low))))
        if high is not None:
            q &= Q(LessThanOrEqual(lag, Value(datetime.timedelta(days=high))))
        return q

    buckets = [
        (2, "< 0 days", None, -1),
        (3, "0 days", 0, 0),
        (4, "1-3 days", 1, 3),
        (5, "4-6 days", 4, 6),
        (6, "7-10 days", 7, 10),
        (7, "11+ days", 11, None),
    ]
    started = Q(entry_date__gte=report.start, entry_date__lte=report.end)
    left = Q(exit_date__gte=report.start, exit_date__lte=report.end)
    cells = {}
    for n, _label, low, high in buckets:
        cells[f"B{n}"] = started & bucket(start_lag, low, high)
        cells[f"C{n}"] = left & bucket(exit_lag, low, high)
    return Table(
        key="Q6e",
        title="Data Quality: Timeliness",
        columns=[("B", "Number of Project Start Records"), ("C", "Number of Project Exit Records")],
        rows=[(n, label) for n, label, _l, _h in buckets],
        cells=cells,
        source=f"{SPEC} Q6e; Glossary Data Quality Q6",
    )


def q4a(version) -> Table:
    """Q4a Project Identifiers in HMIS (spec Q4a): one line per project, columns A–Q.

    P/Q are each project's active clients and households (their sums equal Q5a C2 and
    C15 + C16). G (CE access point) and H/I (affiliations) are read from CEParticipation and
    Affiliation; J/K from ProjectCoC.
    """
    report = version.report
    rows = facts(version, UNIVERSE).filter(counted=True)
    per_project = (
        rows.values(
            "project_id",
            "project__project_name",
            "project__project_id",
            "project__project_type",
            "project__rrh_sub_type",
            "project__organization__organization_name",
            "project__organization__organization_id",
            "project__organization__victim_service_provider",
        )
        .annotate(
            clients=Count("client_id", distinct=True),
            households=Count("client_id", filter=HOH_Q, distinct=True),
        )
        .order_by("project__project_id")
    )
    from hmis.models import Affiliation, CEParticipation, ProjectCoC

    per_project = list(per_project)
    ids = [p["project_id"] for p in per_project]
    cocs: dict[int, list] = {}
    for pc in (
        ProjectCoC.objects.live()
        .filter(project_id__in=ids)
        .values("project_id", "coc_code", "geocode")
    ):
        cocs.setdefault(pc["project_id"], []).append(pc)
    access = dict(
        CEParticipation.objects.live()
        .filter(project_id__in=ids)
        .order_by("project_id", "ce_participation_status_start_date")
        .values_list("project_id", "access_point")
    )
    affiliations: dict[int, list[str]] = {}
    for project_id, res in (
        Affiliation.objects.live()
        .filter(project_id__in=ids)
        .values_list("project_id", "res_project_id")
    ):
        affiliations.setdefault(project_id, []).append(res)
    software = report.coc.hmis_sources.filter(is_active=True).values_list(
        "software_name", flat=True
    )
    table = Table(
        key="Q4a",
        title="Project Identifiers in HMIS",
        columns=[
            ("A", "Organization Name"),
            ("B", "Organization ID"),
            ("C", "Project Name"),
            ("D", "Project ID"),
            ("E", "HMIS Project Type"),
            ("F", "RRH Subtype"),
            ("G", "Coordinated Entry Access Point"),
            ("H", "Affiliated with a Residential Project"),
            ("I", "Project IDs of affiliations"),
            ("J", "CoC Number"),
            ("K", "Geocode"),
            ("L", "Victim Service Provider"),
            ("M", "HMIS Software Name and Version Number"),
            ("N", "Report Start Date"),
            ("O", "Report End Date"),
            ("P", "Total Active Clients"),
            ("Q", "Total Active Households"),
        ],
        rows=[],
        source=f"{SPEC} Q4a",
    )
    for number, p in enumerate(per_project, start=2):
        pcs = cocs.get(p["project_id"], [])
        aff = affiliations.get(p["project_id"], [])
        values = {
            "A": p["project__organization__organization_name"],
            "B": p["project__organization__organization_id"],
            "C": p["project__project_name"],
            "D": p["project__project_id"],
            "E": p["project__project_type"],
            "F": p["project__rrh_sub_type"],
            "G": access.get(p["project_id"]),
            "H": 1 if aff else 0,
            "I": ", ".join(aff),
            "J": ", ".join(sorted({pc["coc_code"] for pc in pcs})),
            "K": ", ".join(sorted({pc["geocode"] for pc in pcs})),
            "L": p["project__organization__victim_service_provider"],
            "M": ", ".join(s for s in software if s),
            "N": report.start.isoformat(),
            "O": report.end.isoformat(),
            "P": p["clients"],
            "Q": p["households"],
        }
        table.rows.append((number, ""))
        for letter, value in values.items():
            table.values[f"{letter}{number}"] = value
        table.cells[f"P{number}"] = Q(project_id=p["project_id"])
        table.cells[f"Q{number}"] = Q(project_id=p["project_id"]) & HOH_Q
    return table


# HUD's 67 APR tables in the order of the spec's "Table of Questions" (FY2026 V1.0).
ORDER = [
    "Q4a", "Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f", "Q7a", "Q7b", "Q8a", "Q8b",
    "Q9a", "Q9b", "Q11", "Q12", "Q13a1", "Q13b1", "Q13c1", "Q13a2", "Q13b2", "Q13c2",
    "Q14a", "Q14b", "Q15", "Q16", "Q17", "Q18", "Q19a1", "Q19a2", "Q19b", "Q20a", "Q20b",
    "Q21", "Q22a1", "Q22b", "Q22c", "Q22e", "Q22f", "Q22g", "Q23c", "Q23d", "Q23e", "Q24b",
    "Q24e", "Q25a", "Q25b", "Q25d", "Q25i", "Q25j", "Q26a", "Q26b", "Q26d", "Q26e",
    "Q27a", "Q27b", "Q27d", "Q27e", "Q27f1", "Q27f2", "Q27g", "Q27h", "Q27i", "Q27j",
    "Q27k", "Q27l", "Q27m",
]  # fmt: skip


def builders() -> dict:
    """Each built question's key and the function that builds its table, in HUD's order.

    The question modules each hold a ``BUILDERS`` dict (key -> function); this one's own
    tables are listed here.
    """
    from . import (
        demographics,
        dq,
        exits,
        income,
        lengths,
        outcomes,
        people,
        population,
        subpopulations,
    )

    found = {
        "Q4a": q4a,
        "Q5a": q5a,
        "Q6a": dq.q6a,
        "Q6b": dq.q6b,
        "Q6c": dq.q6c,
        "Q6d": dq.q6d,
        "Q6e": q6e,
        "Q6f": dq.q6f,
        "Q7a": q7a,
        "Q7b": population.q7b,
        "Q8a": q8a,
        "Q8b": population.q8b,
        "Q11": q11,
        "Q12": demographics.q12,
        "Q13a1": demographics.q13a1,
        "Q13b1": demographics.q13b1,
        "Q13c1": demographics.q13c1,
        "Q14a": demographics.q14a,
        "Q14b": demographics.q14b,
        "Q15": demographics.q15,
        "Q16": demographics.q16,
        "Q17": demographics.q17,
        "Q22a1": outcomes.q22a1,
        "Q24e": demographics.q24e,
        "Q25a": outcomes.q25a,
        "Q26b": outcomes.q26b,
    }
    for module in (income, lengths, exits, people, subpopulations):
        found.update(module.BUILDERS)
    unknown = set(found) - set(ORDER)
    assert not unknown, f"not an APR question of FY2026: {sorted(unknown)}"
    return {key: found[key] for key in ORDER if key in found}


def tables(version) -> list[Table]:
    return [build(version) for build in builders().values()]


def table(version, key: str) -> Table | None:
    """One question's table (a drill-down needs only its own), or None for an unknown key.

    A version built before a derived column existed has it empty (its rows' ``derived`` is
    older than ``derived.REVISION``): derive it first (once), so its drill-downs still list the
    rows its cells counted.
    """
    build = builders().get(key)
    if build is None:
        return None
    rows = facts(version, UNIVERSE)
    if rows.exclude(derived=REVISION).exists():
        derive(version, everything=True)
        rows.update(derived=REVISION)
    return build(version)


IMPLEMENTED = list(builders())
