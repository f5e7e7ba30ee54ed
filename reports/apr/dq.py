"""APR Q6a–Q6d and Q6f: data quality, from the definitions of ``dataquality.rules``.

Each cell calls the data-quality rule that defines it (``dataquality.rules.pii``, ``ude``,
``income``, ``chronic``, ``inactive``) over the records behind the version's counted stays, so
the APR and the data-quality scans can never count a defect differently. The APR adds what is
its own: each client once, on the latest stay; the DQ universe of Q5a column B (street outreach
only once engaged); ages at the later of project start and report start for "adults" (the rules
use the age at entry, so a client who turned 18 between entry and report start is an adult
here but is tested as the child they were at entry). Columns B, C and D of a row are mutually
exclusive (B first, then C, then D; REFERENCE §3.1), E is any of them and the rate is E over the
Q5a column-B count the spec names for the row.
"""

from __future__ import annotations

from django.db.models import Q

from dataquality.rules import Context, chronic, inactive, income, pii, ude
from hmis.models import Client, Enrollment, Exit

from ..engine import Table, facts
from ..hud import ADULT_Q, CHILD_Q, HOH_Q
from .common import ADULT_OR_HOH, DKPNTA_LABEL, SPEC, UNIVERSE, dq_universe, leaver, stayer

DQ_COLUMNS = [
    ("B", DKPNTA_LABEL),
    ("C", "Information Missing"),
    ("D", "Data Issues"),
    ("E", "Total"),
    ("F", "% of Issue Rate"),
]


class Rules:
    """The data-quality rules applied to the records behind one version's counted stays.

    ``within`` gives a rule only the stays its table row can count (the stayers for the annual
    assessment, whose row is stayers only): the rule still decides which have the defect, it
    reads fewer records (the annual-assessment rules look up each stay's household start).
    """

    def __init__(self, version, within: Q | None = None):
        report = version.report
        self.context = Context(as_of=report.end)
        stays = facts(version, UNIVERSE).filter(within or Q(), counted=True)
        self.clients = Client.objects.filter(pk__in=stays.values("client_id"))
        self.enrollments = Enrollment.objects.filter(pk__in=stays.values("enrollment_id"))
        self.exits = Exit.objects.live().filter(enrollment_id__in=stays.values("enrollment_id"))

    def client(self, *rules) -> Q:
        q = Q(pk__in=[])
        for rule in rules:
            q |= Q(client_id__in=rule(self.clients, self.context).values("pk"))
        return q

    def enrollment(self, *rules) -> Q:
        q = Q(pk__in=[])
        for rule in rules:
            q |= Q(enrollment_id__in=rule(self.enrollments, self.context).values("pk"))
        return q

    def exit(self, *rules) -> Q:
        q = Q(pk__in=[])
        for rule in rules:
            q |= Q(enrollment_id__in=rule(self.exits, self.context).values("enrollment_id"))
        return q


def _dq_table(key, title, rows, universe: Q, source: str, grayed=(), total_row=None) -> Table:
    """Rows of (number, label, B, C, D, row universe, rate denominator); B/C/D may be None."""
    table = Table(
        key=key,
        title=title,
        columns=DQ_COLUMNS,
        rows=[(n, label) for n, label, *_ in rows],
        grayed=set(grayed),
        source=source,
    )
    any_row = Q(pk__in=[])
    for number, _label, b, c, d, row_q, denominator in rows:
        earlier = Q(pk__in=[])
        total = Q(pk__in=[])
        for letter, q in (("B", b), ("C", c), ("D", d)):
            if q is None:
                table.grayed.add(f"{letter}{number}")
                continue
            exclusive = universe & row_q & q & ~earlier
            table.cells[f"{letter}{number}"] = exclusive
            earlier |= q
            total |= exclusive
        table.cells[f"E{number}"] = total
        table.rates[f"F{number}"] = (total, universe & denominator)
        any_row |= total
    if total_row is not None:
        number, label, denominator = total_row
        table.rows.append((number, label))
        table.grayed |= {f"B{number}", f"C{number}", f"D{number}"}
        table.cells[f"E{number}"] = any_row
        table.rates[f"F{number}"] = (any_row, universe & denominator)
    return table


def q6a(version) -> Table:
    """Q6a Personally Identifiable Information (spec Q6a; Glossary DQ Q2; REFERENCE §3.2).

    FY2026 rows: Name, SSN, DOB, Race and Ethnicity (D grayed), Overall Score (E = clients
    with any of them, F = E ÷ Q5a B2). The gender row was retired in FY2026 and the spec adds
    no sex row here (sex is Q24e), so ``SEX_*`` rules stay in the scans only.
    """
    report = version.report
    r = Rules(version)
    every = Q()
    rows = [
        (2, "Name (3.01)", r.client(pii.name_dkpnta), r.client(pii.name_missing),
         r.client(pii.name_issue), every, every),
        (3, "Social Security Number (3.02)", r.client(pii.ssn_dkpnta),
         r.client(pii.ssn_missing), r.client(pii.ssn_issue), every, every),
        (4, "Date of Birth (3.03)", r.client(pii.dob_dkpnta), r.client(pii.dob_missing),
         r.client(pii.dob_issue), every, every),
        (5, "Race and Ethnicity (3.04)", r.client(pii.race_dkpnta),
         r.client(pii.race_missing), None, every, every),
    ]  # fmt: skip
    return _dq_table(
        "Q6a",
        "Data Quality: Personally Identifiable Information",
        rows,
        dq_universe(report),
        f"{SPEC} Q6a; Glossary Data Quality Q2",
        total_row=(6, "Overall Score", every),
    )


def q6b(version) -> Table:
    """Q6b Universal Data Elements (spec Q6b; Glossary DQ Q3; REFERENCE §3.3).

    Veteran status B/C for adults, D a child with VeteranStatus 1 (rate over Q5a B3 + B4);
    project start D an exit before the start or an overlapping earlier stay; relationship D an
    invalid value or a household with no or several heads; Enrollment CoC for heads only (rate
    over Q5a B15 + B16); disabling condition D "no" against a disabling disability record.
    """
    report = version.report
    r = Rules(version)
    # As Q6c: the rules of a cell limited to some stays read only those stays.
    adults, children, heads = (
        Rules(version, ADULT_Q),
        Rules(version, CHILD_Q),
        Rules(version, HOH_Q),
    )
    every = Q()
    known_age = ADULT_Q | CHILD_Q
    rows = [
        (2, "Veteran Status (3.07)", ADULT_Q & adults.client(ude.veteran_dkpnta),
         ADULT_Q & adults.client(ude.veteran_missing),
         CHILD_Q & children.client(ude.veteran_issue), every, known_age),
        (3, "Project Start Date (3.10)", None, None,
         r.enrollment(ude.exit_before_entry, ude.overlapping_stay), every, every),
        (4, "Relationship to Head of Household (3.15)", None,
         r.enrollment(ude.relationship_missing),
         r.enrollment(ude.relationship_issue, ude.household_no_head,
                      ude.household_multiple_heads), every, every),
        (5, "Enrollment CoC (3.16)", None, heads.enrollment(ude.enrollment_coc_missing),
         heads.enrollment(ude.enrollment_coc_issue), HOH_Q, HOH_Q),
        (6, "Disabling Condition (3.08)", r.enrollment(ude.disabling_dkpnta),
         r.enrollment(ude.disabling_missing), r.enrollment(ude.disabling_issue), every, every),
    ]  # fmt: skip
    return _dq_table(
        "Q6b",
        "Data Quality: Universal Data Elements",
        rows,
        dq_universe(report),
        f"{SPEC} Q6b; Glossary Data Quality Q3",
    )


def q6c(version) -> Table:
    """Q6c Income and Housing Data Quality (spec Q6c; Glossary DQ Q4; REFERENCE §3.4).

    Destination for leavers (rate over Q5a B6); income at start for adults and heads (B3 +
    B16); at annual assessment for the adults and heads the rules find due (HUD's anniversary
    ±30 days of the household's start; rate over B17); at exit for adult and head leavers (B8).
    """
    report = version.report
    left = leaver(report)
    # Each row's rules read only the stays its cells can count (the same cells, fewer
    # records: a rule judges each record on its own, so narrowing its input narrows its
    # output the same way): leavers for rows 2 and 5, adults and heads for rows 3-5, and for
    # row 4 the stays the rule ``income.annual_due`` finds due. That set is the derived
    # column ``income_annual_due`` (``demographics.update_person_records`` applies the rule
    # once per version); the row-4 rules apply it again to their few stays instead of to
    # every stayer (each looks up the household's anniversary per stay).
    due = stayer(report) & ADULT_OR_HOH & Q(income_annual_due=True)
    lr = Rules(version, left)
    sr, ar, xr = (
        Rules(version, ADULT_OR_HOH),
        Rules(version, due),
        Rules(version, left & ADULT_OR_HOH),
    )
    rows = [
        (2, "Destination (3.12)", lr.exit(income.destination_dkpnta),
         lr.exit(income.destination_missing), None, left, left),
        (3, "Income and Sources (4.02) at Start", sr.enrollment(income.income_start_dkpnta),
         sr.enrollment(income.income_start_missing), sr.enrollment(income.income_start_issue),
         ADULT_OR_HOH, ADULT_OR_HOH),
        (4, "Income and Sources (4.02) at Annual Assessment",
         ar.enrollment(income.income_annual_dkpnta), ar.enrollment(income.income_annual_missing),
         ar.enrollment(income.income_annual_issue), due, due),
        (5, "Income and Sources (4.02) at Exit", xr.enrollment(income.income_exit_dkpnta),
         xr.enrollment(income.income_exit_missing), xr.enrollment(income.income_exit_issue),
         left & ADULT_OR_HOH, left & ADULT_OR_HOH),
    ]  # fmt: skip
    return _dq_table(
        "Q6c",
        "Data Quality: Income and Housing Data Quality",
        rows,
        dq_universe(report),
        f"{SPEC} Q6c; Glossary Data Quality Q4, Annual Assessment",
    )


Q6D_ROWS = [
    (2, "ES-EE, ES-NbN, SH, Street Outreach", (0, 1, 8, 4)),
    (3, "TH", (2,)),
    (4, "PH (All)", (3, 9, 10, 13)),
    (5, "CE", (14,)),
    (6, "SSO, Day Shelter, HP", (6, 11, 12)),
]


def q6d(version) -> Table:
    """Q6d Chronic Homelessness (spec Q6d; Glossary DQ Q5; REFERENCE §3.5).

    B: adults and heads whose stay started on or after 2016-10-01, by project type; C/D: time
    in an institution / in housing unknown (``chronic.ch_length_of_stay_missing`` split by the
    prior living situation; grayed for row 2); E–G: 3.917.3–5 missing among those expected to
    answer; H: clients in any of C–G ÷ B. Row 7 totals B and H. CE (row 5) is outside the APR
    universe (the spec's introduction), so it stays 0.
    """
    report = version.report
    r = Rules(version)
    base = dq_universe(report) & ADULT_OR_HOH & Q(entry_date__gte=chronic.CH_START)
    length_missing = r.enrollment(chronic.ch_length_of_stay_missing)
    institution = Q(enrollment__living_situation__gte=200, enrollment__living_situation__lte=299)
    columns = {
        "C": length_missing & institution,
        "D": length_missing & ~institution,
        "E": r.enrollment(chronic.ch_date_to_street_missing),
        "F": r.enrollment(chronic.ch_times_homeless_missing),
        "G": r.enrollment(chronic.ch_months_homeless_missing),
    }
    table = Table(
        key="Q6d",
        title="Data Quality: Chronic Homelessness",
        columns=[
            ("B", "Count of Total Records"),
            ("C", "Missing Time in Institution (3.917.2)"),
            ("D", "Missing Time in Housing (3.917.2)"),
            ("E", "Approximate Date Started (3.917.3) DK/PNTA/Missing"),
            ("F", "Number of Times (3.917.4) DK/PNTA/Missing"),
            ("G", "Number of Months (3.917.5) DK/PNTA/Missing"),
            ("H", "% of Records Unable to Calculate"),
        ],
        rows=[(n, label) for n, label, _t in Q6D_ROWS] + [(7, "Total")],
        grayed={"C2", "D2", "C7", "D7", "E7", "F7", "G7"},
        source=f"{SPEC} Q6d; Glossary Data Quality Q5",
    )
    for number, _label, types in Q6D_ROWS:
        row = base & Q(project_type__in=types)
        table.cells[f"B{number}"] = row
        unable = Q(pk__in=[])
        for letter, q in columns.items():
            if f"{letter}{number}" in table.grayed:
                continue
            table.cells[f"{letter}{number}"] = row & q
            unable |= row & q
        table.rates[f"H{number}"] = (unable, row)
    any_type = base & Q(project_type__in=[t for _n, _l, types in Q6D_ROWS for t in types])
    table.cells["B7"] = any_type
    unable_any = Q(pk__in=[])
    for number, _label, _types in Q6D_ROWS:
        unable_any |= table.rates[f"H{number}"][0]
    table.rates["H7"] = (unable_any, any_type)
    return table


def q6f(version) -> Table:
    """Q6f Inactive Records: Street Outreach and Emergency Shelter (spec Q6f; Glossary DQ Q7).

    Row 2: adults and heads in SO or PATH-funded SSO open on the report end and started more
    than 90 days before it, C without a contact (4.12) in the last 90 days; row 3: everyone in
    ES night-by-night, C without a bed night in the last 90 days (``dataquality.rules.inactive``
    at HUD's fixed 90 days). Limitation: the APR universe holds an NbN stay only when it has a
    bed night in the range (Method 2), so an NbN stay with none all year is not in row 3.
    """
    # Both universes are stays open on the report end (``open_on``): the rules read stayers only.
    r = Rules(version, stayer(version.report))
    contact = ADULT_OR_HOH & r.enrollment(inactive.contact_universe)
    bed_night = r.enrollment(inactive.bed_night_universe)
    table = Table(
        key="Q6f",
        title="Data Quality: Inactive Records: Street Outreach & Emergency Shelter",
        columns=[
            ("B", "# of Records"),
            ("C", "# of Inactive Records"),
            ("D", "% of Inactive Records"),
        ],
        rows=[
            (2, "Contact (Adults and Heads of Household in Street Outreach or SSO)"),
            (3, "Bed Night (All clients in ES - NbN)"),
        ],
        source=f"{SPEC} Q6f; Glossary Data Quality Q7",
    )
    table.cells["B2"] = contact
    table.cells["C2"] = contact & r.enrollment(inactive.inactive_contact)
    table.cells["B3"] = bed_night
    table.cells["C3"] = bed_night & r.enrollment(inactive.inactive_bed_night)
    table.rates["D2"] = (table.cells["C2"], contact)
    table.rates["D3"] = (table.cells["C3"], bed_night)
    return table


# Derived ReportFact columns of this module (run once per version, reports.apr.derived).
DERIVED: list = []
