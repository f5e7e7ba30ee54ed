"""The Housing Inventory Count for the PIT night (REFERENCE §5.3–§5.4).

Per project of the scope with an HIC project type (ES 0/1, TH 2, SH 8, PSH 3, OPH 9/10,
RRH 13): beds and units by household type from the Inventory records active that night
(start on or before, end empty or on/after), year-round / seasonal / overflow beds (ES only),
voucher beds (ES bed type 2), the PIT count (people in the project that night; in permanent
housing only after their move-in date) and the utilization rate = PIT count ÷ all beds
available that night (year-round + seasonal + overflow; HUD leaves the HDX denominator
unconfirmed, REFERENCE §5.4, so the table says which one it uses). HUD flags rates above 105 %
or below 65 % for review.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from hmis.models import Project as HMISProject
from hmis.models import Services

from .engine import Table, day, facts, live_exit_date, scope_enrollments, snapshot

UNIVERSE = "hic"
HIC_TYPES = (0, 1, 2, 3, 8, 9, 10, 13)
ES_TYPES = (0, 1)
PH_TYPES = (3, 9, 10, 13)
# Inventory.HouseholdType (2.07.4): 1 without children, 3 adult + child, 4 only children.
HH_WITHOUT_CHILDREN, HH_WITH_CHILDREN, HH_ONLY_CHILDREN = 1, 3, 4
HIGH, LOW = 1.05, 0.65
SOURCE = "REFERENCE §5.3 (HIC fields, LSA HIC output), §5.4 (utilization, HUD Exchange FAQ 1756)"

COLUMNS = [
    ("B", "HUD ProjectID"),
    ("C", "Project type"),
    ("D", "Beds: households with children"),
    ("E", "Units: households with children"),
    ("F", "Beds: households without children"),
    ("G", "Beds: households with only children"),
    ("H", "Year-round beds"),
    ("I", "Seasonal beds"),
    ("J", "Overflow beds"),
    ("K", "Voucher beds"),
    ("L", "Total beds"),
    ("M", "Total units"),
    ("N", "PIT count"),
    ("O", "Utilization (PIT count ÷ total beds)"),
]


def in_residence(report):
    """Enrollments in an HIC project's beds on the night (PH: moved in on or before it)."""
    night = report.night
    bed_night = Services.objects.live().filter(
        enrollment=OuterRef("pk"), record_type=200, date_provided=night
    )
    return (
        scope_enrollments(report)
        .filter(project__project_type__in=HIC_TYPES, entry_date__lte=night)
        .annotate(exit_on=live_exit_date())
        .filter(Q(exit_on__isnull=True) | Q(exit_on__gt=night))
        .filter(
            ~Q(project__project_type__in=PH_TYPES)
            | Q(move_in_date__lte=night, move_in_date__gte=F("entry_date"))
        )
        .filter(~Q(project__project_type=1) | Q(Exists(bed_night)))
    )


def build_universe(version) -> None:
    report = version.report
    snapshot(version, UNIVERSE, in_residence(report), day(report.night))
    # Every enrollment counts for its own project (a person in two projects is in both beds).
    facts(version, UNIVERSE).update(counted=True)


def inventory(report):
    """The scope's HIC projects with their inventory that night, one query."""
    night = report.night
    active = (
        Q(inventories__date_deleted__isnull=True)
        & (
            Q(inventories__inventory_start_date__isnull=True)
            | Q(inventories__inventory_start_date__lte=night)
        )
        & (
            Q(inventories__inventory_end_date__isnull=True)
            | Q(inventories__inventory_end_date__gte=night)
        )
    )

    def beds(extra: Q | None = None, column: str = "bed_inventory"):
        extra = extra if extra is not None else Q()
        return Coalesce(Sum(f"inventories__{column}", filter=active & extra), 0)

    return (
        HMISProject.objects.live()
        .filter(coc=report.coc, agency_project__in=report.projects.all())
        .filter(Q(project_type__in=HIC_TYPES) | Q(inventories__isnull=False))
        .annotate(
            beds_with_children=beds(Q(inventories__household_type=HH_WITH_CHILDREN)),
            units_with_children=beds(
                Q(inventories__household_type=HH_WITH_CHILDREN), "unit_inventory"
            ),
            beds_without_children=beds(Q(inventories__household_type=HH_WITHOUT_CHILDREN)),
            beds_only_children=beds(Q(inventories__household_type=HH_ONLY_CHILDREN)),
            year_round=beds(
                ~Q(project_type__in=ES_TYPES)
                | Q(inventories__availability=1)
                | Q(inventories__availability__isnull=True)
            ),
            seasonal=beds(Q(project_type__in=ES_TYPES, inventories__availability=2)),
            overflow=beds(Q(project_type__in=ES_TYPES, inventories__availability=3)),
            voucher=beds(Q(project_type__in=ES_TYPES, inventories__es_bed_type=2)),
            total_beds=beds(),
            total_units=beds(column="unit_inventory"),
            odd_availability=Count(
                "inventories",
                filter=active
                & ~Q(project_type__in=ES_TYPES)
                & (
                    Q(inventories__availability__in=[2, 3])
                    | Q(inventories__es_bed_type__isnull=False)
                ),
            ),
            es_without_bed_type=Count(
                "inventories",
                filter=active & Q(project_type__in=ES_TYPES, inventories__es_bed_type__isnull=True),
            ),
        )
        .order_by("project_id")
    )


def build(version) -> tuple[list[Table], dict, list[str]]:
    """The HIC table (one row per project), the API summary and the warnings."""
    report = version.report
    projects = list(inventory(report))
    pit_counts = dict(
        facts(version, UNIVERSE)
        .values("project_id")
        .annotate(n=Count("client_id", distinct=True))
        .values_list("project_id", "n")
    )
    table = Table(
        key="HIC",
        title=f"Housing Inventory Count, night of {report.night}",
        columns=COLUMNS,
        rows=[],
        universe=UNIVERSE,
        source=SOURCE,
    )
    summary, warnings = [], []
    for number, p in enumerate(projects, start=2):
        pit = pit_counts.get(p.pk, 0)
        utilization = round(pit / p.total_beds, 4) if p.total_beds else None
        table.rows.append((number, p.project_name))
        row = {
            "B": p.project_id,
            "C": p.project_type,
            "D": p.beds_with_children,
            "E": p.units_with_children,
            "F": p.beds_without_children,
            "G": p.beds_only_children,
            "H": p.year_round,
            "I": p.seasonal,
            "J": p.overflow,
            "K": p.voucher,
            "L": p.total_beds,
            "M": p.total_units,
            "N": pit,
            "O": utilization,
        }
        for letter, value in row.items():
            table.values[f"{letter}{number}"] = value
        table.cells[f"N{number}"] = Q(project_id=p.pk)
        summary.append(
            {
                "hud_project_id": p.project_id,
                "name": p.project_name,
                "project_type": p.project_type,
                "agency": p.agency_id,
                "beds": p.total_beds,
                "units": p.total_units,
                "year_round_beds": p.year_round,
                "seasonal_beds": p.seasonal,
                "overflow_beds": p.overflow,
                "voucher_beds": p.voucher,
                "pit_count": pit,
                "utilization": utilization,
            }
        )
        warnings += project_warnings(p, pit, utilization)
    return [table], {"projects": summary}, warnings


def project_warnings(p, pit: int, utilization: float | None) -> list[str]:
    name = f"{p.project_name} ({p.project_id})"
    found = []
    if utilization is not None and utilization > HIGH:
        found.append(f"{name}: utilization {utilization:.0%} is above 105% — check beds or exits.")
    if utilization is not None and utilization < LOW:
        found.append(
            f"{name}: utilization {utilization:.0%} is below 65% — check inventory or "
            "missing entries."
        )
    if not p.total_beds and pit:
        found.append(f"{name}: {pit} people in the project but no inventory active that night.")
    if p.project_type not in HIC_TYPES:
        found.append(
            f"{name}: has inventory but its project type ({p.project_type}) is not in the HIC."
        )
    if p.odd_availability:
        found.append(
            f"{name}: seasonal/overflow availability or an ES bed type on a project "
            "that is not an emergency shelter."
        )
    if p.es_without_bed_type:
        found.append(f"{name}: emergency shelter inventory without an ES bed type.")
    return found
