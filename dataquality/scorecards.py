"""Scorecards: error rates per HUD category and rule against the CoC's Data Quality Plan.

A category's rate is the records flagged by its rules over the records they checked (each rule
counts its own denominator, so a client missing both name and DOB counts twice out of twice the
clients: an element-level rate, like the CoC plans that say "≤ 5% missing UDEs"). Timeliness is
the share of project starts and exits entered within the plan's days, and must reach a minimum.

For the governance app: ``agency_meets_plan(agency)`` → True / False, or None before any scan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum

from .models import DataQualityPlan, Scan, ScanResult
from .rules import CATEGORIES, RULES

CATEGORY_LABELS = {**CATEGORIES, "timeliness": "Timeliness (Q6e): entered on time"}
TIMELINESS_CODES = ("ENTRY_ON_TIME", "EXIT_ON_TIME")


@dataclass
class Line:
    key: str
    label: str
    records: int = 0
    flagged: int = 0
    benchmark: tuple[str, float] | None = None
    rules: list = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        """Percent flagged; for timeliness, percent on time."""
        if not self.records:
            return None
        pct = 100.0 * self.flagged / self.records
        return round(100.0 - pct if self.key == "timeliness" else pct, 2)

    @property
    def passes(self) -> bool | None:
        if self.benchmark is None or self.rate is None:
            return None
        kind, value = self.benchmark
        return self.rate <= value if kind == "max" else self.rate >= value


def latest_scan(coc_id: int, agency_id: int | None = None) -> Scan | None:
    """The newest finished scan covering the CoC (or the agency: a CoC scan or its own)."""
    scans = Scan.objects.filter(coc_id=coc_id, status=Scan.Status.SUCCEEDED)
    if agency_id is None:
        scans = scans.filter(agency__isnull=True)
    else:
        scans = scans.filter(agency__isnull=True) | scans.filter(agency_id=agency_id)
    return scans.order_by("-finished", "-pk").first()


def plan_of(coc_id: int) -> DataQualityPlan:
    return DataQualityPlan.objects.filter(coc_id=coc_id).first() or DataQualityPlan(coc_id=coc_id)


def card(scan: Scan, agency_id: int | None = None, project_id: int | None = None) -> list[Line]:
    """One line per category (with its rules) for the scope, from the scan's results."""
    plan = plan_of(scan.coc_id)
    results = ScanResult.objects.filter(scan=scan)
    if agency_id is not None:
        results = results.filter(agency_id=agency_id)
    if project_id is not None:
        results = results.filter(hmis_project_id=project_id)
    rows = results.values("category", "rule").annotate(r=Sum("records"), f=Sum("flagged"))
    lines = {
        key: Line(key, label, benchmark=plan.benchmark(key))
        for key, label in CATEGORY_LABELS.items()
    }
    for row in rows.order_by("category", "rule"):
        line = lines[row["category"]]
        line.records += row["r"] or 0
        line.flagged += row["f"] or 0
        rule = RULES.get(row["rule"])
        line.rules.append(
            {
                "code": row["rule"],
                "title": rule.title if rule else row["rule"].replace("_", " ").capitalize(),
                "records": row["r"] or 0,
                "flagged": row["f"] or 0,
                "rate": round(100.0 * (row["f"] or 0) / row["r"], 2) if row["r"] else None,
            }
        )
    return list(lines.values())


def meets_plan(lines: list[Line]) -> bool:
    return all(line.passes is not False for line in lines)


def agency_meets_plan(agency) -> bool | None:
    """Whether the agency's latest scan results meet its CoC's Data Quality Plan (None: no scan)."""
    scan = latest_scan(agency.coc_id, agency.pk)
    if scan is None:
        return None
    return meets_plan(card(scan, agency_id=agency.pk))


def ranking(scan: Scan) -> list[dict]:
    """Agencies of a CoC-wide scan, best first: overall error rate (timeliness apart)."""
    rows = (
        ScanResult.objects.filter(scan=scan, agency__isnull=False)
        .exclude(category="timeliness")
        .values("agency_id", "agency__name")
        .annotate(r=Sum("records"), f=Sum("flagged"))
    )
    ranked = [
        {
            "agency_id": row["agency_id"],
            "agency": row["agency__name"],
            "records": row["r"],
            "flagged": row["f"],
            "rate": round(100.0 * row["f"] / row["r"], 2) if row["r"] else 0.0,
        }
        for row in rows
    ]
    ranked.sort(key=lambda row: (row["rate"], row["agency"]))
    for position, row in enumerate(ranked, start=1):
        row["position"] = position
    return ranked


def trend(scans: QuerySet, agency_id: int | None = None, limit: int = 20) -> list[dict]:
    """Category rates per scan, oldest first, for the charts (one grouped query)."""
    chosen = list(scans.filter(status=Scan.Status.SUCCEEDED).order_by("-finished")[:limit])
    results = ScanResult.objects.filter(scan__in=chosen)
    if agency_id is not None:
        results = results.filter(agency_id=agency_id)
    sums: dict = defaultdict(lambda: [0, 0])
    for row in results.values("scan_id", "category").annotate(r=Sum("records"), f=Sum("flagged")):
        sums[(row["scan_id"], row["category"])] = [row["r"] or 0, row["f"] or 0]
    series = []
    for scan in reversed(chosen):
        point = {"scan": scan.pk, "date": scan.finished, "rates": {}}
        for key in CATEGORY_LABELS:
            r, f = sums[(scan.pk, key)]
            if r:
                pct = 100.0 * f / r
                point["rates"][key] = round(100.0 - pct if key == "timeliness" else pct, 2)
        series.append(point)
    return series


def svg_chart(series: list[dict], key: str, width: int = 320, height: int = 90) -> str:
    """A small server-rendered SVG line of one category's rate across scans (no JavaScript)."""
    values = [p["rates"].get(key) for p in series if p["rates"].get(key) is not None]
    if not values:
        return ""
    top = max(max(values), 1.0)
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{height - 4 - (v / top) * (height - 8):.1f}" for i, v in enumerate(values)
    )
    return (
        f'<svg class="dq-trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{CATEGORY_LABELS[key]} across {len(values)} scans">'
        f'<polyline fill="none" stroke="#0d6efd" stroke-width="2" points="{points}"/></svg>'
    )
