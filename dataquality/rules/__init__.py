# ruff: noqa: E501  (the catalogue keeps each rule's how-to-fix sentence on one line)
"""The data-quality rules: HUD's APR/CAPER Q6a–Q6f framework plus the integrity checks CoCs run.

Reuse from other apps (the APR/CAPER and DQ reports share these definitions)
----------------------------------------------------------------------------
Every rule is a plain function ``rule(queryset, context) -> queryset``: give it a base queryset of
the record it is about (``hmis.models.Client``, ``Enrollment`` or ``Exit``, e.g. your report's
latest stays) and a :class:`Context` (``as_of`` = the report end date; thresholds default to HUD's)
and it returns the records with the defect, still a lazy queryset (one SQL statement)::

    from dataquality.rules import Context, pii, ude, income, chronic, timeliness, inactive
    ctx = Context(as_of=report_end)
    q6a_name_b = pii.name_dkpnta(clients, ctx)          # Q6a row 2, column B
    q6b_vet_c = ude.veteran_missing(clients, ctx)       # Q6b row 2, column C
    q6c_dest_c = income.destination_missing(exits, ctx) # Q6c row 2, column C
    q6f_bed = inactive.inactive_bed_night(enrollments, ctx)

``RULES[code]`` is the catalogue (code, title, category, HUD reference, severity, the function
as ``select`` and its denominator as ``universe``); ``RULES_BY_CATEGORY`` groups it.
``base_querysets(coc_id, agency_id)`` gives the live Client/Enrollment/Exit querysets of a CoC or
of one agency, as a scan uses them. Modules: ``pii`` (Q6a), ``ude`` (Q6b), ``income`` (Q6c),
``chronic`` (Q6d), ``timeliness`` (Q6e), ``inactive`` (Q6f), ``integrity`` (beyond HUD's tables).

Differences from HUD's tables, on purpose: a rule looks at EVERY record, not only each client's
latest stay in the report range (a data-quality manager must fix all of them); a report that wants
HUD's counts passes its own base queryset of latest stays. ``pii.ssn_issue`` reads
``Client.ssn_invalid``, HUD's validity test taken on import while the SSN is in clear (it is
stored encrypted), so every rule is plain SQL.
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from hmis.models import Client, Enrollment, Exit

from . import chronic, inactive, income, integrity, pii, timeliness, ude
from .base import Context, Rule, everything

CATEGORIES = {
    "pii": "Personally identifiable information (Q6a)",
    "ude": "Universal data elements (Q6b)",
    "income_housing": "Income and housing (Q6c)",
    "chronic": "Chronic homelessness (Q6d)",
    "timeliness": "Timeliness (Q6e)",
    "inactive": "Inactive records (Q6f)",
    "integrity": "Integrity checks",
}
SEVERITIES = {"high": 3, "medium": 2, "low": 1}

DK = "the client doesn't know or prefers not to answer"


def _r(code, title, category, record_type, ref, severity, select, universe, fix, **kw) -> Rule:
    return Rule(code, title, category, record_type, ref, severity, select, universe, fix, **kw)


def _adult_clients(qs, ctx):
    return ude.adult_clients(qs, ctx)


_RULES = [
    # --- Q6a ---
    _r("NAME_DKPNTA", "Name: client doesn't know / prefers not to answer", "pii", "Client",
       "APR Q6a row 2 col B; 3.01 Name", "low", pii.name_dkpnta, everything,
       "Ask again for the client's name at the next contact; a street or code name is better than none."),
    _r("NAME_MISSING", "Name missing", "pii", "Client", "APR Q6a row 2 col C; 3.01 Name",
       "high", pii.name_missing, everything,
       "Enter the first and last name, and set Name data quality to how complete it is."),
    _r("NAME_ISSUE", "Name is partial, a street name or a code name", "pii", "Client",
       "APR Q6a row 2 col D; 3.01 Name", "medium", pii.name_issue, everything,
       "When the client is ready, record the full legal name and set Name data quality to 'Full name reported'."),
    _r("SSN_DKPNTA", "SSN: client doesn't know / prefers not to answer", "pii", "Client",
       "APR Q6a row 3 col B; 3.02 SSN", "low", pii.ssn_dkpnta, everything,
       "Ask again for the Social Security number (the last four digits are enough for some funders)."),
    _r("SSN_MISSING", "SSN missing", "pii", "Client", "APR Q6a row 3 col C; 3.02 SSN", "high",
       pii.ssn_missing, everything,
       "Enter the SSN, or record that the client doesn't know or prefers not to answer."),
    _r("SSN_ISSUE", "SSN is not a valid number", "pii", "Client",
       "APR Q6a row 3 col D; 3.02 SSN", "medium", pii.ssn_issue, everything,
       "Check the SSN against the client's card: it cannot start with 000, 666 or 9, have 00 in the middle, end in 0000, or be all one digit or a run like 123456789."),
    _r("DOB_DKPNTA", "Date of birth: client doesn't know / prefers not to answer", "pii",
       "Client", "APR Q6a row 4 col B; 3.03 DOB", "medium", pii.dob_dkpnta, everything,
       "Ask again for the date of birth; an approximate date (with 'approximate' quality) helps reports count adults and children."),
    _r("DOB_MISSING", "Date of birth missing", "pii", "Client", "APR Q6a row 4 col C; 3.03 DOB",
       "high", pii.dob_missing, everything,
       "Enter the date of birth: without it the client is counted as 'age unknown' in every report."),
    _r("DOB_ISSUE", "Date of birth looks wrong", "pii", "Client",
       "APR Q6a row 4 col D; 3.03 DOB", "high", pii.dob_issue, everything,
       "Check the date of birth: it is approximate, before 1915, after the record was created, or on/after a project start where the client is head of household."),
    _r("RACE_DKPNTA", "Race and ethnicity: client doesn't know / prefers not to answer", "pii",
       "Client", "APR Q6a row 5 col B; 3.04 Race and Ethnicity", "low", pii.race_dkpnta,
       everything, "Ask again at the next contact; the client may choose more than one."),
    _r("RACE_MISSING", "Race and ethnicity missing", "pii", "Client",
       "APR Q6a row 5 col C; 3.04 Race and Ethnicity", "high", pii.race_missing, everything,
       "Record at least one race/ethnicity, or that " + DK + "."),
    _r("SEX_DKPNTA", "Sex: client doesn't know / prefers not to answer", "pii", "Client",
       "APR Q6a (FY2026) sex row col B; 3.06 Sex", "low", pii.sex_dkpnta, everything,
       "Ask again at the next contact."),
    _r("SEX_MISSING", "Sex missing", "pii", "Client", "APR Q6a (FY2026) sex row col C; 3.06 Sex",
       "high", pii.sex_missing, everything, "Record the client's sex, or that " + DK + "."),
    # --- Q6b ---
    _r("VETERAN_DKPNTA", "Veteran status: client doesn't know / prefers not to answer", "ude",
       "Client", "APR Q6b row 2 col B; 3.07 Veteran Status", "low", ude.veteran_dkpnta,
       _adult_clients, "Ask again whether the adult served in the armed forces."),
    _r("VETERAN_MISSING", "Veteran status missing (adult)", "ude", "Client",
       "APR Q6b row 2 col C; 3.07 Veteran Status", "high", ude.veteran_missing, _adult_clients,
       "Record whether the adult client is a veteran."),
    _r("VETERAN_ISSUE", "Veteran status 'yes' on a child", "ude", "Client",
       "APR Q6b row 2 col D; 3.07 Veteran Status", "medium", ude.veteran_issue, everything,
       "A child cannot be a veteran: check the date of birth or the veteran status."),
    _r("EXIT_BEFORE_ENTRY", "Exit date before project start date", "ude", "Enrollment",
       "APR Q6b row 3 col D; 3.10 Project Start Date / 3.11 Exit Date", "high",
       ude.exit_before_entry, everything,
       "Correct the project start or exit date: the exit must be on or after the start."),
    _r("OVERLAPPING_STAY", "Overlapping stays in the same residential project", "ude",
       "Enrollment", "APR Q6b row 3 col D; 3.10 Project Start Date", "high",
       ude.overlapping_stay, everything,
       "The client has an earlier stay in this project that is still open or ends after this one starts: exit the earlier stay or merge the two."),
    _r("RELATIONSHIP_MISSING", "Relationship to head of household missing", "ude", "Enrollment",
       "APR Q6b row 4 col C; 3.15 Relationship to HoH", "high", ude.relationship_missing,
       everything, "Record how this person is related to the head of household."),
    _r("RELATIONSHIP_ISSUE", "Relationship to head of household not a valid value", "ude",
       "Enrollment", "APR Q6b row 4 col D; 3.15 Relationship to HoH", "medium",
       ude.relationship_issue, everything, "Choose one of the five relationships."),
    _r("HOUSEHOLD_NO_HEAD", "Household without a head of household", "ude", "Enrollment",
       "APR Q6b row 4 col D; 3.15 Relationship to HoH", "high", ude.household_no_head,
       everything, "Mark exactly one member of the household as 'Self (head of household)'."),
    _r("HOUSEHOLD_MULTIPLE_HEADS", "Household with more than one head of household", "ude",
       "Enrollment", "APR Q6b row 4 col D; 3.15 Relationship to HoH", "high",
       ude.household_multiple_heads, everything,
       "Only one member may be 'Self (head of household)': change the others' relationship."),
    _r("ENROLLMENT_COC_MISSING", "Enrollment CoC missing (head of household)", "ude",
       "Enrollment", "APR Q6b row 5 col C; 3.16 Enrollment CoC", "medium",
       ude.enrollment_coc_missing, ude.heads,
       "Record the CoC where the head of household was enrolled."),
    _r("ENROLLMENT_COC_ISSUE", "Enrollment CoC not one of the project's CoCs", "ude",
       "Enrollment", "APR Q6b row 5 col D; 3.16 Enrollment CoC", "medium",
       ude.enrollment_coc_issue, ude.heads,
       "Choose a CoC code the project operates in (its Project CoC records)."),
    _r("DISABLING_DKPNTA", "Disabling condition: client doesn't know / prefers not to answer",
       "ude", "Enrollment", "APR Q6b row 6 col B; 3.08 Disabling Condition", "low",
       ude.disabling_dkpnta, everything, "Ask again whether the client has a disabling condition."),
    _r("DISABLING_MISSING", "Disabling condition missing", "ude", "Enrollment",
       "APR Q6b row 6 col C; 3.08 Disabling Condition", "high", ude.disabling_missing,
       everything, "Record whether the client has a disabling condition at project start."),
    _r("DISABLING_ISSUE", "Disabling condition 'no' but a disability is disabling", "ude",
       "Enrollment", "APR Q6b row 6 col D; 3.08 / 4.05-4.10", "medium", ude.disabling_issue,
       everything,
       "A disability recorded at entry is long-lasting and limits daily life: set Disabling condition to 'Yes' or correct the disability."),
    # --- Q6c ---
    _r("DESTINATION_DKPNTA", "Destination: client doesn't know / prefers not to answer",
       "income_housing", "Exit", "APR Q6c row 2 col B; 3.12 Destination", "low",
       income.destination_dkpnta, everything, "Follow up with the client on where they went."),
    _r("DESTINATION_MISSING", "Destination missing or no exit interview", "income_housing",
       "Exit", "APR Q6c row 2 col C; 3.12 Destination", "high", income.destination_missing,
       everything, "Record where the client went when they left the project."),
    _r("INCOME_START_DKPNTA", "Income at start: client doesn't know / prefers not to answer",
       "income_housing", "Enrollment", "APR Q6c row 3 col B; 4.02 Income and Sources", "low",
       income.income_start_dkpnta, income.at_start, "Ask again about income at the next contact."),
    _r("INCOME_START_MISSING", "Income at start missing", "income_housing", "Enrollment",
       "APR Q6c row 3 col C; 4.02 Income and Sources", "high", income.income_start_missing,
       income.at_start,
       "Add an income record at project start, dated on the start date, answering 'Income from any source'."),
    _r("INCOME_START_ISSUE", "Income at start contradicts its sources", "income_housing",
       "Enrollment", "APR Q6c row 3 col D; 4.02 Income and Sources", "medium",
       income.income_start_issue, income.at_start,
       "'Income from any source' must be Yes when a source is marked, and No when none is."),
    _r("INCOME_ANNUAL_MISSING", "Income at annual assessment missing", "income_housing",
       "Enrollment", "APR Q6c row 4 col C; 4.02 Income and Sources", "high",
       income.income_annual_missing, income.annual_due,
       "Complete the annual assessment (income) within 30 days of the stay's anniversary."),
    _r("INCOME_EXIT_DKPNTA", "Income at exit: client doesn't know / prefers not to answer",
       "income_housing", "Enrollment", "APR Q6c row 5 col B; 4.02 Income and Sources", "low",
       income.income_exit_dkpnta, income.adult_hoh_leavers, "Ask about income at exit if you can."),
    _r("INCOME_EXIT_MISSING", "Income at exit missing", "income_housing", "Enrollment",
       "APR Q6c row 5 col C; 4.02 Income and Sources", "high", income.income_exit_missing,
       income.adult_hoh_leavers, "Add an income record at exit, dated on the exit date."),
    _r("INCOME_EXIT_ISSUE", "Income at exit contradicts its sources", "income_housing",
       "Enrollment", "APR Q6c row 5 col D; 4.02 Income and Sources", "medium",
       income.income_exit_issue, income.adult_hoh_leavers,
       "'Income from any source' must agree with the sources marked at exit."),
    # --- Q6d ---
    _r("PRIOR_LIVING_DKPNTA", "Prior living situation: client doesn't know / prefers not to answer",
       "chronic", "Enrollment", "APR Q6d; 3.917.1 Prior Living Situation", "low",
       chronic.prior_living_dkpnta, everything, "Ask again where the client stayed last night."),
    _r("PRIOR_LIVING_MISSING", "Prior living situation missing", "chronic", "Enrollment",
       "APR Q6d; 3.917.1 Prior Living Situation", "high", chronic.prior_living_missing,
       everything, "Record where the client stayed the night before project start."),
    _r("CH_LENGTH_OF_STAY_MISSING", "Length of stay in prior situation missing", "chronic",
       "Enrollment", "APR Q6d cols C-D; 3.917.2 Length of Stay", "medium",
       chronic.ch_length_of_stay_missing, chronic.ch_universe,
       "Record how long the client stayed in their prior living situation."),
    _r("CH_DATE_TO_STREET_MISSING", "Date homelessness started missing", "chronic",
       "Enrollment", "APR Q6d col E; 3.917.3 Approximate Date Started", "medium",
       chronic.ch_date_to_street_missing, chronic.ch_universe,
       "Record the approximate date this episode of homelessness started."),
    _r("CH_TIMES_HOMELESS_MISSING", "Times homeless in 3 years missing", "chronic",
       "Enrollment", "APR Q6d col F; 3.917.4", "medium", chronic.ch_times_homeless_missing,
       chronic.ch_universe, "Record how many times the client was homeless in the past 3 years."),
    _r("CH_MONTHS_HOMELESS_MISSING", "Months homeless in 3 years missing", "chronic",
       "Enrollment", "APR Q6d col G; 3.917.5", "medium", chronic.ch_months_homeless_missing,
       chronic.ch_universe, "Record how many months the client was homeless in the past 3 years."),
    # --- Q6e ---
    _r("LATE_ENTRY", "Project start entered late", "timeliness", "Enrollment",
       "APR Q6e col B (11+ days); 3.10 Project Start Date", "medium", timeliness.late_entry,
       everything, "Enter project starts within a few days: late entry hides people from live counts.",
       default_threshold=11, threshold_label="days from start to entry"),
    _r("FUTURE_ENTRY", "Project start recorded before it happened", "timeliness", "Enrollment",
       "APR Q6e col B (< 0 days); 3.10 Project Start Date", "high", timeliness.future_entry,
       everything, "The record was created before its start date: correct the start date."),
    _r("LATE_EXIT", "Exit entered late", "timeliness", "Exit",
       "APR Q6e col C (11+ days); 3.11 Exit Date", "medium", timeliness.late_exit, everything,
       "Enter exits within a few days of the client leaving.",
       default_threshold=11, threshold_label="days from exit to entry"),
    _r("FUTURE_EXIT", "Exit recorded before it happened", "timeliness", "Exit",
       "APR Q6e col C (< 0 days); 3.11 Exit Date", "high", timeliness.future_exit, everything,
       "The exit record was created before its exit date: correct the exit date."),
    # --- Q6f ---
    _r("INACTIVE_CONTACT", "Street outreach without contact", "inactive", "Enrollment",
       "APR Q6f row 2; 4.12 Current Living Situation", "medium", inactive.inactive_contact,
       inactive.contact_universe,
       "Record a contact (current living situation) or exit the client from the project.",
       default_threshold=90, threshold_label="days without contact"),
    _r("INACTIVE_BED_NIGHT", "Night-by-night shelter without a bed night", "inactive",
       "Enrollment", "APR Q6f row 3; 4.14 Bed Night", "medium", inactive.inactive_bed_night,
       inactive.bed_night_universe,
       "Record the bed nights, or exit the client the day after their last night.",
       default_threshold=90, threshold_label="days without a bed night"),
    # --- integrity ---
    _r("FUTURE_DATE", "Project start or exit in the future", "integrity", "Enrollment",
       "3.10 Project Start Date / 3.11 Exit Date", "high", integrity.future_date, everything,
       "Dates cannot be after today: correct the start or exit date."),
    _r("CHILD_HOH_IN_ADULT_PROJECT", "Child head of household in an adults-only project",
       "integrity", "Enrollment", "3.15 Relationship to HoH; 2.07 Inventory household type",
       "medium", integrity.child_hoh_in_adult_project, integrity.heads_in_adult_projects,
       "A child heads this household in a project for adults: check the date of birth and who is head."),
    _r("OUTSIDE_PROJECT_DATES", "Enrollment outside the project's operating or HMIS dates",
       "integrity", "Enrollment", "2.02 Operating dates; 2.08 HMIS Participation", "medium",
       integrity.outside_project_dates, everything,
       "The start date is outside the project's operating or HMIS participation period: correct the date or the project setup."),
    _r("MISSING_ANNUAL_ASSESSMENT", "Annual assessment missing", "integrity", "Enrollment",
       "5.03 Data Collection Stage (annual assessment)", "high",
       integrity.missing_annual_assessment, integrity.annual_assessment_due,
       "The stay is a year old or more and has no annual assessment: complete one."),
    _r("NO_MOVE_IN", "PSH/RRH without a move-in date", "integrity", "Enrollment",
       "3.20 Housing Move-in Date", "medium", integrity.no_move_in, integrity.psh_rrh_heads,
       "Record the date the household moved into housing, or review why it has not.",
       default_threshold=90, threshold_label="days without move-in"),
    _r("DUPLICATE_CLIENT", "Possible duplicate client in another source", "integrity",
       "Client", "3.01-3.03 (de-duplication)", "low", integrity.duplicate_client, everything,
       "The same SSN, or the same name and date of birth, exists in another system of the CoC: review the client match."),
]  # fmt: skip

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
RULES_BY_CATEGORY: dict[str, list[Rule]] = {
    key: [r for r in _RULES if r.category == key] for key in CATEGORIES
}


def owner_agency() -> Subquery:
    """A client's agency: the agency of its latest live enrollment (who should fix its record).

    Client records are shared across the CoC; the flag goes to the agency that saw the client
    last, which is also how an agency scan chooses the clients it covers.
    """
    return Subquery(
        Enrollment.objects.filter(client_id=OuterRef("pk"), date_deleted__isnull=True)
        .order_by("-entry_date", "-pk")
        .values("agency_id")[:1]
    )


def base_querysets(coc_id: int, agency_id: int | None = None) -> dict[str, QuerySet]:
    """The live records of a CoC (or of one agency of it) that the rules run over."""
    clients = Client.objects.live().filter(coc_id=coc_id)
    enrollments = Enrollment.objects.live().filter(coc_id=coc_id)
    exits = Exit.objects.live().filter(coc_id=coc_id, enrollment__date_deleted__isnull=True)
    if agency_id is not None:
        clients = clients.alias(_owner=owner_agency()).filter(_owner=agency_id)
        enrollments = enrollments.filter(agency_id=agency_id)
        exits = exits.filter(agency_id=agency_id)
    return {"Client": clients, "Enrollment": enrollments, "Exit": exits}


__all__ = [
    "CATEGORIES",
    "RULES",
    "RULES_BY_CATEGORY",
    "SEVERITIES",
    "Context",
    "Rule",
    "base_querysets",
    "chronic",
    "income",
    "inactive",
    "integrity",
    "owner_agency",
    "pii",
    "timeliness",
    "ude",
]
