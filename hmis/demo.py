"""Demo HMIS client data: a synthetic export of the demo CoC XX-500, through the real importer.

``manage.py load_demo`` (and so ``make run``) calls :func:`load` after the demo CoCs exist. The
export uses the demo agencies' HUD OrganizationIDs and ProjectIDs (``agencies.demo``), leaves out
victim service providers (their client-level data never enters HMIS) and agencies outside the HMIS,
and is the same file on every run (fixed seed and dates), so the importer's idempotence makes
re-running a no-op.
"""

from __future__ import annotations

import datetime as dt
import importlib
import tempfile
from pathlib import Path
from typing import TextIO

from agencies import demo as agencies_demo
from hmis.codes import HMISParticipationType
from hmis.synthetic import GeneratorOptions, OrganizationSpec, ProjectSpec, generate

DEMO_COC = "XX-500"
DEMO_SOURCE = "Demo HMIS"
DEMO_CLIENTS = 450
DEMO_SEED = 2026
DEMO_AS_OF = dt.date(2026, 9, 30)
DEMO_START = dt.date(2025, 1, 1)  # the demo projects' operating start (agencies.demo.START)


def demo_spec() -> tuple[list[OrganizationSpec], list[ProjectSpec]]:
    """XX-500's HMIS-participating agencies and projects, without victim service providers."""
    participating = HMISParticipationType.HMIS_PARTICIPATING
    agencies = {
        org_id: name
        for coc, org_id, name, participation, vsp in agencies_demo.AGENCIES
        if coc == DEMO_COC and participation == participating and not vsp
    }
    projects = [
        ProjectSpec(project_id, org_id, name, int(project_type))
        for org_id, project_id, name, project_type, participation in agencies_demo.PROJECTS
        if org_id in agencies and participation == participating
    ]
    used = {p.organization_id for p in projects}
    orgs = [OrganizationSpec(org_id, name) for org_id, name in agencies.items() if org_id in used]
    return orgs, projects


def demo_options() -> GeneratorOptions:
    orgs, projects = demo_spec()
    return GeneratorOptions(
        clients=DEMO_CLIENTS,
        seed=DEMO_SEED,
        coc=DEMO_COC,
        as_of=DEMO_AS_OF,
        start=DEMO_START,
        organizations=orgs,
        projects=projects,
        source_name=DEMO_SOURCE,
        export_id="DEMO-XX-500",
    )


def _importer():
    """Part A's synchronous import entry point, or None while the importer is not there."""
    try:
        module = importlib.import_module("hmis.importer")
    except ImportError:
        return None
    return getattr(module, "import_export", None)


def load(stdout: TextIO) -> None:
    import_export = _importer()
    if import_export is None:
        stdout.write(
            "HMIS demo data skipped: the HMIS CSV importer (hmis.importer) is not there yet.\n"
        )
        return
    from agencies.models import ContinuumOfCare

    coc = ContinuumOfCare.objects.get(code=DEMO_COC)
    with tempfile.TemporaryDirectory(prefix="hmis-demo-") as tmp:
        result = generate(Path(tmp) / "demo-xx-500.zip", demo_options())
        run = import_export(result.zip_path, coc, DEMO_SOURCE)
    status = getattr(run, "status", "")
    if status == "succeeded":
        stdout.write(
            f"HMIS demo export imported into {DEMO_COC} as source {DEMO_SOURCE!r}: "
            f"{result.counts['Client']} clients, {result.counts['Enrollment']} enrollments "
            f"({len(getattr(run, 'warnings', []) or [])} warnings).\n"
        )
        return
    errors = getattr(run, "errors", []) or []
    stdout.write(f"HMIS demo import {status or 'did not finish'}; first problems:\n")
    for problem in errors[:10]:
        stdout.write(f"  {problem}\n")
