"""The sheltered Point-in-Time count from HMIS (REFERENCE §5.1–§5.2).

Who counts: people enrolled on the night in an emergency shelter (entry/exit: entered on or
before the night and not exited before the next morning; night-by-night: a bed-night service
dated that night inside the enrollment), a transitional housing project or a safe haven,
except people housed that night in permanent housing (moved in, not exited). A person in two
of those projects is counted once: ES before SH before TH. Ages are as of the night.
Street outreach is out of scope: the unsheltered count comes from the street count and is
entered by hand (``Report.unsheltered``).
"""

from __future__ import annotations

from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When

from hmis.models import Enrollment, Services

from .engine import (
    ONLY_CHILDREN,
    WITH_CHILDREN_AND_ADULTS,
    WITHOUT_CHILDREN,
    Table,
    day,
    facts,
    live_exit_date,
    mark_counted,
    scope_enrollments,
    set_household_types,
    snapshot,
)
from .hud import ADULT_Q, CHILD_Q, HOH_Q, SEX_ROWS, VETERAN_Q, chronic, household_has, pit_race_rows

UNIVERSE = "pit"
SHELTERED_TYPES = {"ES": (0, 1), "TH": (2,), "SH": (8,)}
PH_TYPES = (3, 9, 10, 13)
COLUMNS = [("B", "Emergency Shelter"), ("C", "Transitional Housing"), ("D", "Safe Haven")]
COLUMN_Q = [
    ("B", Q(project_type__in=SHELTERED_TYPES["ES"])),
    ("C", Q(project_type__in=SHELTERED_TYPES["TH"])),
    ("D", Q(project_type__in=SHELTERED_TYPES["SH"])),
    ("E", Q()),
]
SOURCE = "REFERENCE §5.2; HUD PIT count tables (HDX), sheltered columns"


def present_on_night(report) -> Enrollment:
    """Enrollments of the scope present in an ES/TH/SH on the night (one query's filter)."""
    night = report.night
    bed_night = Services.objects.live().filter(
        enrollment=OuterRef("pk"), record_type=200, date_provided=night
    )
    housed_in_ph = (
        Enrollment.objects.live()
        .filter(
            coc=report.coc,
            client=OuterRef("client"),
            project__project_type__in=PH_TYPES,
            move_in_date__lte=night,
        )
        .annotate(exit_on=live_exit_date())
        .filter(Q(exit_on__isnull=True) | Q(exit_on__gt=night))
    )
    return (
        scope_enrollments(report)
        .filter(project__project_type__in=(0, 1, 2, 8), entry_date__lte=night)
        .annotate(exit_on=live_exit_date())
        .filter(Q(exit_on__isnull=True) | Q(exit_on__gt=night))
        .filter(~Q(project__project_type=1) | Q(Exists(bed_night)))
        .filter(~Exists(housed_in_ph))
    )


def build_universe(version) -> None:
    report = version.report
    snapshot(version, UNIVERSE, present_on_night(report), day(report.night))
    set_household_types(version, UNIVERSE)
    rank = Case(
        When(project_type__in=SHELTERED_TYPES["ES"], then=Value(1)),
        When(project_type__in=SHELTERED_TYPES["SH"], then=Value(2)),
        default=Value(3),
    )
    mark_counted(version, UNIVERSE, rank)


def _sheltered_table(key: str, title: str, rows: list[tuple[str, Q]]) -> Table:
    numbered = [(i + 2, label) for i, (label, _q) in enumerate(rows)]
    cells = {}
    for letter, cq in COLUMN_Q:
        for i, (_label, rq) in enumerate(rows):
            cells[f"{letter}{i + 2}"] = cq & rq
    return Table(
        key=key,
        title=title,
        columns=[*COLUMNS, ("E", "Total sheltered")],
        rows=numbered,
        universe=UNIVERSE,
        cells=cells,
        source=SOURCE,
    )


def _age_rows(household: Q, adults: bool, children: bool) -> list[tuple[str, Q]]:
    rows = []
    if children:
        rows.append(("Number of children (under age 18)", household & CHILD_Q))
    if adults:
        bands = [(18, 24), (25, 34), (35, 44), (45, 54), (55, 64)]
        for low, high in bands:
            rows.append(
                (
                    f"Number of persons (age {low}-{high})",
                    household & Q(age__gte=low, age__lte=high),
                )
            )
        rows.append(("Number of persons (over age 64)", household & Q(age__gte=65)))
    return rows


def tables(version) -> list[Table]:
    """HUD's sheltered PIT tables: by household type, veterans, youth, CH (columns ES/TH/SH)."""
    ch = chronic(version, UNIVERSE)
    result = []
    for key, title, htype, adults, children in [
        (
            "PIT_AC",
            "Households with at least one Adult and one Child",
            WITH_CHILDREN_AND_ADULTS,
            True,
            True,
        ),
        ("PIT_AO", "Households without Children", WITHOUT_CHILDREN, True, False),
        ("PIT_CO", "Households with only Children (under age 18)", ONLY_CHILDREN, False, True),
    ]:
        household = Q(household_type=htype)
        rows = [
            ("Total Number of Households", household & HOH_Q),
            ("Total Number of Persons", household),
            *_age_rows(household, adults, children),
            *[(label, household & q) for label, q in SEX_ROWS],
            *[(label, household & q) for label, q in pit_race_rows()],
            ("Chronically Homeless Persons", household & ch),
        ]
        result.append(_sheltered_table(key, title, rows))

    veteran_household = household_has(version, UNIVERSE, VETERAN_Q)
    result.append(
        _sheltered_table(
            "PIT_VET",
            "Veteran Households (with and without children)",
            [
                ("Total Number of Households", veteran_household & HOH_Q),
                ("Total Number of Persons", veteran_household),
                ("Total Number of Veterans", VETERAN_Q),
                ("Chronically Homeless Veterans", VETERAN_Q & ch),
            ],
        )
    )
    # Youth households: every member's age is known and under 25 (glossary "Youth household").
    youth_household = ~household_has(version, UNIVERSE, Q(age__gte=25) | Q(age__isnull=True))
    unaccompanied = youth_household & Q(household_type__in=[WITHOUT_CHILDREN, ONLY_CHILDREN])
    parenting = youth_household & Q(household_type=WITH_CHILDREN_AND_ADULTS)
    result.append(
        _sheltered_table(
            "PIT_YOUTH",
            "Unaccompanied Youth and Parenting Youth Households",
            [
                ("Unaccompanied youth: households", unaccompanied & HOH_Q),
                ("Unaccompanied youth: persons", unaccompanied),
                ("Unaccompanied youth under 18", unaccompanied & CHILD_Q),
                ("Unaccompanied youth 18-24", unaccompanied & ADULT_Q),
                ("Parenting youth: households", parenting & HOH_Q),
                ("Parenting youth: persons", parenting),
                ("Parenting youth 18-24", parenting & ADULT_Q),
                ("Children of parenting youth", parenting & CHILD_Q),
            ],
        )
    )
    return result


def summary(version) -> dict:
    """The API's ``totals`` and one line per project (one query each)."""
    rows = facts(version, UNIVERSE).filter(counted=True)
    totals = rows.aggregate(
        persons=Count("client_id", distinct=True),
        households=Count("client_id", filter=HOH_Q, distinct=True),
        ES=Count("client_id", filter=COLUMN_Q[0][1], distinct=True),
        TH=Count("client_id", filter=COLUMN_Q[1][1], distinct=True),
        SH=Count("client_id", filter=COLUMN_Q[2][1], distinct=True),
    )
    per_project = (
        rows.values("project__project_id", "project__project_name", "project_type", "agency_id")
        .annotate(
            persons=Count("client_id", distinct=True),
            households=Count("client_id", filter=HOH_Q, distinct=True),
        )
        .order_by("project__project_id")
    )
    unsheltered = version.report.unsheltered or {}
    return {
        "totals": {
            "persons": totals["persons"],
            "households": totals["households"],
            "by_project_type": {k: totals[k] for k in ("ES", "TH", "SH")},
            "unsheltered": {
                "persons": int(unsheltered.get("persons") or 0),
                "households": int(unsheltered.get("households") or 0),
            },
        },
        "projects": [
            {
                "hud_project_id": p["project__project_id"],
                "name": p["project__project_name"],
                "project_type": p["project_type"],
                "agency": p["agency_id"],
                "persons": p["persons"],
                "households": p["households"],
            }
            for p in per_project
        ],
    }
