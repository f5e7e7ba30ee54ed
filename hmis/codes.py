"""HUD HMIS code lists used across the apps.

Source: HMIS CSV Format Specifications FY2024/FY2026 and the HMIS Data Dictionary, as summarised
in ``shared/hud/REFERENCE.md`` §2. Names and values are HUD's; labels are HUD's wording.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectType(models.IntegerChoices):
    """2.02.6 ProjectType. Code 5 is retired."""

    ES_ENTRY_EXIT = 0, _("Emergency Shelter - Entry Exit")
    ES_NIGHT_BY_NIGHT = 1, _("Emergency Shelter - Night-by-Night")
    TRANSITIONAL_HOUSING = 2, _("Transitional Housing")
    PH_PSH = 3, _("PH - Permanent Supportive Housing")
    STREET_OUTREACH = 4, _("Street Outreach")
    SERVICES_ONLY = 6, _("Services Only")
    OTHER = 7, _("Other")
    SAFE_HAVEN = 8, _("Safe Haven")
    PH_HOUSING_ONLY = 9, _("PH - Housing Only")
    PH_HOUSING_WITH_SERVICES = (
        10,
        _("PH - Housing with Services (no disability required for entry)"),
    )
    DAY_SHELTER = 11, _("Day Shelter")
    HOMELESSNESS_PREVENTION = 12, _("Homelessness Prevention")
    PH_RRH = 13, _("PH - Rapid Re-Housing")
    COORDINATED_ENTRY = 14, _("Coordinated Entry")


# Groupings used in HUD reporting (REFERENCE.md §2.2).
ES_TYPES = frozenset({0, 1})
SHELTERED_TYPES = frozenset({0, 1, 2, 8})
HOMELESS_TYPES = frozenset({0, 1, 2, 4, 8})
PH_TYPES = frozenset({3, 9, 10, 13})
TYPES_WITHOUT_INVENTORY = frozenset({4, 6, 7, 11, 12, 14})


class HMISParticipationType(models.IntegerChoices):
    """2.08.1 HMISParticipationType."""

    NOT_PARTICIPATING = 0, _("Not participating")
    HMIS_PARTICIPATING = 1, _("HMIS participating")
    COMPARABLE_DATABASE = 2, _("Comparable database participating")


class NoYes(models.IntegerChoices):
    """1.10 NoYes."""

    NO = 0, _("No")
    YES = 1, _("Yes")


# --- Code lists checked on import (REFERENCE.md §1.3 and §2) ---------------------------------
# Column name -> allowed integer values. Columns without an entry are checked for type only.
# Values outside a list are errors: HUD's lists are closed, and a wrong code would be counted
# as something else by every report.
NO_YES = frozenset({0, 1})
NO_YES_MISSING = frozenset({0, 1, 99})
NO_YES_REASONS = frozenset({0, 1, 8, 9, 99})
DATA_QUALITY = frozenset({1, 2, 8, 9, 99})
LIVING_SITUATIONS = frozenset(
    {8, 9, 17, 24, 30, 37, 99, 101, 116, 118, 204, 205, 206, 207, 215, 225, 302, 312, 313, 314}
    | {327, 329, 332, 335, 336, 410, 411, 421, 422, 423, 426, 435}
)
SUBSIDY_TYPES = frozenset({419, 420, 428, 431, 433, 434, 436, 437, 438, 439, 440})

CODE_LISTS: dict[str, frozenset[int]] = {
    # Export (1.1, 1.2, 1.5, 1.9)
    "SourceType": frozenset({1, 2, 3, 4}),
    "ExportPeriodType": frozenset({1, 3, 4}),
    "ExportDirective": frozenset({1, 2, 3}),
    "HashStatus": frozenset({1, 2, 3, 4}),
    # Organization, Project, participation
    "VictimServiceProvider": NO_YES,
    "ContinuumProject": NO_YES,
    "ProjectType": frozenset(ProjectType.values),
    "RRHSubType": frozenset({1, 2}),
    "HousingType": frozenset({1, 2, 3}),
    "TargetPopulation": frozenset({1, 3, 4}),
    "ResidentialAffiliation": NO_YES,
    "HMISParticipationType": frozenset({0, 1, 2}),
    "GeographyType": frozenset({1, 2, 3, 99}),
    "HouseholdType": frozenset({1, 3, 4}),
    "Availability": frozenset({1, 2, 3}),
    "ESBedType": frozenset({1, 2, 3}),
    "AccessPoint": NO_YES,
    # Client (3.01-3.07)
    "NameDataQuality": DATA_QUALITY,
    "SSNDataQuality": DATA_QUALITY,
    "DOBDataQuality": DATA_QUALITY,
    "Sex": frozenset({0, 1, 8, 9, 99}),
    "AmIndAKNative": NO_YES,
    "Asian": NO_YES,
    "BlackAfAmerican": NO_YES,
    "HispanicLatinao": NO_YES,
    "MidEastNAfrican": NO_YES,
    "NativeHIPacific": NO_YES,
    "White": NO_YES,
    "RaceNone": frozenset({8, 9, 99}),
    "VeteranStatus": NO_YES_REASONS,
    "MilitaryBranch": frozenset({1, 2, 3, 4, 6, 7, 8, 9, 99}),
    "DischargeStatus": frozenset({1, 2, 4, 5, 6, 7, 8, 9, 99}),
    # Enrollment, Exit
    "RelationshipToHoH": frozenset({1, 2, 3, 4, 5, 99}),
    "LivingSituation": LIVING_SITUATIONS,
    "Destination": LIVING_SITUATIONS,
    "CurrentLivingSituation": LIVING_SITUATIONS,
    "RentalSubsidyType": SUBSIDY_TYPES,
    "DestinationSubsidyType": SUBSIDY_TYPES,
    "CLSSubsidyType": SUBSIDY_TYPES,
    "LengthOfStay": frozenset({2, 3, 4, 5, 8, 9, 10, 11, 99}),
    "LOSUnderThreshold": NO_YES_MISSING,
    "PreviousStreetESSH": NO_YES_MISSING,
    "TimesHomelessPastThreeYears": frozenset({1, 2, 3, 4, 8, 9, 99}),
    "MonthsHomelessPastThreeYears": frozenset({8, 9, 99, *range(101, 114)}),
    "DisablingCondition": NO_YES_REASONS,
    # Collection-stage records
    "DataCollectionStage": frozenset({1, 2, 3, 5, 6}),
    "IncomeFromAnySource": NO_YES_REASONS,
    "BenefitsFromAnySource": NO_YES_REASONS,
    "InsuranceFromAnySource": NO_YES_REASONS,
    "DomesticViolenceSurvivor": NO_YES_REASONS,
    "DisabilityType": frozenset({5, 6, 7, 8, 9, 10}),
    "RecordType": frozenset({141, 142, 143, 144, 151, 152, 161, 200, 210, 300}),
}

# Lists whose codes decide which records exist and how they are counted: a code outside them
# is an error. Other lists hold a person's answers; an unknown code there is kept as exported
# and warned about, so that data-quality reports can count it (REFERENCE.md §1.3b).
STRUCTURAL_CODES = frozenset(
    {
        "SourceType",
        "ExportPeriodType",
        "ExportDirective",
        "HashStatus",
        "VictimServiceProvider",
        "ContinuumProject",
        "ProjectType",
        "RRHSubType",
        "HMISParticipationType",
        "HouseholdType",
        "Availability",
        "ESBedType",
        "RelationshipToHoH",
        "DataCollectionStage",
        "DisabilityType",
        "RecordType",
    }
)
