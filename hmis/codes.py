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
