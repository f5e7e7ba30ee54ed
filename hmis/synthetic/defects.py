"""The data-quality defects the generator plants, with their exact definitions.

Every definition is a test over the CSV rows of one export, evaluated on EVERY record (not only a
client's latest stay, as HUD's APR tables do), with ``as_of`` (the ``--as-of`` option, written as
``Export.ExportEndDate``) as the report end date. The generator keeps every record it did not list
in the manifest clean for every definition below, so a scan that implements these definitions
flags exactly the manifest's records. Definitions follow HUD's data-quality report
(``shared/hud/REFERENCE.md`` §3) where HUD has one; where HUD counts clients on their latest stay,
we count records.

Terms used below:
- "days" are calendar-day differences of dates (the date part of a DateCreated timestamp).
- "adult": age ≥ 18 on the enrollment's EntryDate, from a DOB that has DOBDataQuality 1. Clean
  adults are ≥ 19 at their first entry and clean children ≤ 15 on ``as_of``, so any report range
  inside the export period classifies them the same way.
- "open": an enrollment without an Exit row (the generator writes no exit after ``as_of``).
- "residential project types": 0 ES entry/exit, 2 TH, 3 PSH, 8 SH, 9 and 10 OPH, 13 RRH.
- "household": the Enrollment rows sharing a HouseholdID (one HouseholdID per household stay).

Record: each manifest entry is ``[file, hud_id, personal_id]`` where ``file`` is the HMIS CSV file
name without ``.csv`` (``Client``, ``Enrollment`` or ``Exit``) and ``hud_id`` that file's id.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Defect:
    key: str
    file: str
    group: str
    definition: str


_DEFS = [
    # --- Client.csv: personally identifiable information (Q6a) -----------------------------------
    ("name_dkpnta", "Client", "name", "NameDataQuality in (8, 9); FirstName and LastName blank."),
    (
        "name_missing",
        "Client",
        "name",
        "NameDataQuality = 99, or FirstName or LastName blank while NameDataQuality not in (8, 9). "
        "Planted as NameDataQuality 99 with both names blank.",
    ),
    (
        "name_issue",
        "Client",
        "name",
        "NameDataQuality = 2 (partial, street or code name) with both names present.",
    ),
    ("ssn_dkpnta", "Client", "ssn", "SSNDataQuality in (8, 9); SSN blank."),
    ("ssn_missing", "Client", "ssn", "SSNDataQuality = 99 or SSN blank (and not 8/9)."),
    (
        "ssn_issue",
        "Client",
        "ssn",
        "SSNDataQuality = 1 with nine digits that fail HUD's validity test: area 000, 666 or "
        "9xx, group 00, serial 0000, all nine digits the same, or a sequential run "
        "(123456789 / 234567890 style, ascending or descending). Clean clients have "
        "SSNDataQuality 1 and a valid 9-digit SSN (never partial, never DQ 2).",
    ),
    ("dob_dkpnta", "Client", "dob", "DOBDataQuality in (8, 9); DOB blank."),
    ("dob_missing", "Client", "dob", "DOB blank and DOBDataQuality not in (8, 9) (planted: 99)."),
    (
        "dob_issue",
        "Client",
        "dob",
        "DOB present and any of: DOBDataQuality = 2 (approximate); DOB before 1915-01-01; DOB "
        "on or after the EntryDate of one of the client's enrollments (planted only on a single "
        "adult with one enrollment, DOB 1-5 days after entry and ≤ as_of). Clean clients have "
        "DOBDataQuality 1, DOB ≥ 1920 and before every EntryDate and the client's DateCreated.",
    ),
    ("race_dkpnta", "Client", "race", "All seven race columns 0 and RaceNone in (8, 9)."),
    ("race_missing", "Client", "race", "All seven race columns 0 and RaceNone 99 or blank."),
    ("sex_dkpnta", "Client", "sex", "Sex in (8, 9)."),
    ("sex_missing", "Client", "sex", "Sex 99 or blank."),
    # --- Client.csv: universal data elements (Q6b) ------------------------------------------------
    (
        "veteran_dkpnta",
        "Client",
        "veteran",
        "Adult client (a clean DOB, age ≥ 18 at an entry) with VeteranStatus in (8, 9). Children "
        "have VeteranStatus 0; clients with a DOB defect never get a veteran defect.",
    ),
    ("veteran_missing", "Client", "veteran", "Adult client with VeteranStatus 99 or blank."),
    # --- Enrollment.csv ---------------------------------------------------------------------------
    ("disabling_dkpnta", "Enrollment", "disabling", "DisablingCondition in (8, 9)."),
    (
        "disabling_missing",
        "Enrollment",
        "disabling",
        "DisablingCondition 99 or blank. Clean enrollments have DisablingCondition 1 exactly "
        "when a stage-1 Disabilities row says yes (with IndefiniteAndImpairs 1), else 0.",
    ),
    (
        "prior_living_dkpnta",
        "Enrollment",
        "prior_living",
        "LivingSituation (3.917.1 prior living situation) in (8, 9). Planted on adults only; "
        "every clean enrollment (children too) has a valid 3-digit code.",
    ),
    ("prior_living_missing", "Enrollment", "prior_living", "LivingSituation 99 or blank."),
    (
        "relationship_missing",
        "Enrollment",
        "relationship",
        "RelationshipToHoH 99 or blank (planted on a non-head member of a household of 2+).",
    ),
    (
        "late_entry",
        "Enrollment",
        "late_entry",
        "Enrollment.DateCreated − EntryDate ≥ 11 days (HUD's '11+ days' timeliness bucket). "
        "Clean enrollments are entered 0-3 days after EntryDate, never before it.",
    ),
    (
        "exit_before_entry",
        "Enrollment",
        "episode",
        "Exit.ExitDate < Enrollment.EntryDate (1-30 days before). The record is the Enrollment.",
    ),
    (
        "overlapping_stay",
        "Enrollment",
        "episode",
        "Two enrollments of the same PersonalID in the same residential project where the later "
        "one starts strictly inside the earlier one: earlier.EntryDate < later.EntryDate < "
        "earlier.ExitDate (or the earlier one is open). The record is the LATER enrollment. Clean "
        "stays of a client never overlap in any project type: each starts after the previous "
        "one's ExitDate (a gap of at least one day).",
    ),
    (
        "household_no_head",
        "Enrollment",
        "episode",
        "A HouseholdID with no member with RelationshipToHoH = 1 (the head is recorded as 5). "
        "Every member's Enrollment is listed.",
    ),
    (
        "household_multiple_heads",
        "Enrollment",
        "episode",
        "A HouseholdID with more than one member with RelationshipToHoH = 1. Every member's "
        "Enrollment is listed.",
    ),
    (
        "inactive_bed_night",
        "Enrollment",
        "episode",
        "ES night-by-night (ProjectType 1) enrollment, open, EntryDate < as_of − 90 days, whose "
        "latest bed night (Services RecordType 200) is more than 90 days before as_of (planted: "
        "≥ 100 days; its CurrentLivingSituation contacts are as old). Clean open night-by-night "
        "enrollments have a bed night within 30 days of as_of. Planted on one-person households.",
    ),
    (
        "inactive_contact",
        "Enrollment",
        "episode",
        "Street Outreach (ProjectType 4) enrollment of an adult or head of household, open, "
        "EntryDate < as_of − 90 days, whose latest CurrentLivingSituation InformationDate is more "
        "than 90 days before as_of (planted: ≥ 100 days). Every SO enrollment has a "
        "DateOfEngagement (its first contact). Clean open SO enrollments have a contact within "
        "30 days of as_of. Planted on one-person households.",
    ),
    (
        "no_move_in",
        "Enrollment",
        "episode",
        "PSH or RRH (ProjectType 3 or 13) head-of-household enrollment without MoveInDate whose "
        "(ExitDate or as_of) − EntryDate > 90 days (planted: open, ≥ 91 days). Clean PSH/RRH "
        "heads have a MoveInDate between EntryDate and ExitDate/as_of (members share it), except "
        "open stays younger than 61 days. Planted on one-person households.",
    ),
    (
        "missing_annual_assessment",
        "Enrollment",
        "episode",
        "Open enrollment with as_of ≥ EntryDate + 1 year and no IncomeBenefits row with "
        "DataCollectionStage 5 (planted: no stage-5 row at all). Every clean enrollment has a "
        "stage-5 row dated exactly on each anniversary of EntryDate up to its ExitDate/as_of, "
        "for every member. Planted on one-person households.",
    ),
    # --- Exit.csv ---------------------------------------------------------------------------------
    ("destination_dkpnta", "Exit", "destination", "Destination in (8, 9)."),
    (
        "destination_missing",
        "Exit",
        "destination",
        "Destination 30 (no exit interview completed), 99 or blank.",
    ),
    (
        "late_exit",
        "Exit",
        "late_exit",
        "Exit.DateCreated − ExitDate ≥ 11 days. Clean exits are entered 0-3 days after ExitDate.",
    ),
]

DEFECTS: dict[str, Defect] = {key: Defect(key, f, g, d) for key, f, g, d in _DEFS}

# Rates are probabilities per ELIGIBLE record (see each definition), so the number planted for a
# rule depends on how many records could carry it. Some episode-level defects are rare by nature
# (they need e.g. an open one-person stay of a given type), hence their higher default.
EPISODE_DEFECTS = [key for key, d in DEFECTS.items() if d.group == "episode"]
RARE_EPISODE_DEFECTS = [
    "inactive_bed_night",
    "inactive_contact",
    "no_move_in",
    "missing_annual_assessment",
]
DEFAULT_RATE = 0.02
DEFAULT_RARE_RATE = 0.1


def default_rates(rate: float | None = None) -> dict[str, float]:
    """Every defect key → its rate; ``rate`` overrides all of them (0 plants nothing)."""
    if rate is not None:
        return dict.fromkeys(DEFECTS, rate)
    return {
        key: DEFAULT_RARE_RATE if key in RARE_EPISODE_DEFECTS else DEFAULT_RATE for key in DEFECTS
    }
