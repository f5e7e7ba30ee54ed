"""A cell's rows, restricted: the enrollments a version counted for it that the viewer may see.

The rows come from the version's snapshot (``ReportFact``), so a locked version drills down to
the same rows for ever. Rows of projects outside the viewer's scope are not shown, only counted
("n more in other agencies' projects"); names appear only where the viewer holds the "pii"
action (``Client.objects.restrict(user, "pii")``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from hmis.models import Client, Enrollment

from . import apr, hic, pit
from .builder import DQ_QUESTIONS
from .models import Report, ReportFact, ReportVersion


@dataclass
class DrillDown:
    table: str
    cell: str
    value: object
    rows: list[dict]
    hidden: int  # counted rows in projects the viewer may not see


def cell_table(version: ReportVersion, table: str, cell: str):
    """The table holding ``cell`` and the cell's ``Q`` (404 for a cell without rows)."""
    report = version.report
    if report.kind == Report.Kind.PIT:
        tables = pit.tables(version)
    elif report.kind == Report.Kind.HIC:
        tables = hic.build(version)[0]
    else:
        # Only the question asked for: building every APR table runs queries of their own
        # (the SSN check of Q6a reads the encrypted SSNs).
        apr_key = DQ_QUESTIONS.get(table) if report.kind == Report.Kind.DQ else table
        found = apr.table(version, apr_key) if apr_key else None
        tables = [found] if found else []
        for t in tables:
            t.key = table
    for t in tables:
        if t.key == table and cell in t.cells:
            return t, t.cells[cell]
    raise Http404(f"{table} {cell} has no rows to show.")


def cell_filter(version: ReportVersion, table: str, cell: str):
    """The universe and ``Q`` that define ``table``/``cell`` in ``version``."""
    found, q = cell_table(version, table, cell)
    return found.universe, q


def drill_down(version: ReportVersion, table: str, cell: str, user) -> DrillDown:
    found, q = cell_table(version, table, cell)
    # The table's rows: each client's counted stay, or every stay (APR Q7b/Q8b).
    counted = found.rows_of(version).filter(q)
    # One row per client, as the cell counts distinct clients.
    first_per_client = counted.values("client_id").order_by().distinct()
    visible = counted.filter(enrollment__in=Enrollment.objects.restrict(user, "view").values("pk"))
    named = set(
        Client.objects.restrict(user, "pii")
        .filter(pk__in=visible.values("client_id"))
        .values_list("pk", flat=True)
    )
    rows = []
    seen = set()
    for fact in visible.select_related("project", "client").order_by("personal_id", "pk"):
        if fact.client_id in seen:
            continue
        seen.add(fact.client_id)
        rows.append(
            {
                "personal_id": fact.personal_id,
                "enrollment_id": fact.hud_enrollment_id,
                "household_id": fact.household_id,
                "project": fact.project.project_name if fact.project_id else "",
                "hud_project_id": fact.project.project_id if fact.project_id else "",
                "entry_date": fact.entry_date,
                "exit_date": fact.exit_date,
                "age": fact.age,
                "relationship_to_hoh": fact.relationship_to_hoh,
                "name": (
                    f"{fact.client.first_name} {fact.client.last_name}".strip()
                    if fact.client_id in named
                    else None
                ),
                "enrollment_pk": fact.enrollment_id,
            }
        )
    total = first_per_client.count()
    value = version.tables.get(table, {}).get("cells", {}).get(cell)
    return DrillDown(table, cell, value, rows, hidden=total - len(rows))


__all__ = ["DrillDown", "drill_down", "cell_filter", "cell_table", "ReportFact"]
