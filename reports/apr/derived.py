"""Per-stay values the APR's tables share, computed once per version after the snapshot.

Many HUD tables test the same facts about a stay: its income records at start, annual
assessment and exit, its chronic-homelessness status, whether it is in a youth household, its
length of participation. Each is written into a ``ReportFact`` column by one set-based
``UPDATE`` over the version's rows, so a table's cells become plain column tests (or a join on
a picked record's primary key) instead of sub-selects re-run for every cell — what kept the
APR at 200,000 clients far from HUD-sized timings (docs/performance.md, Reports).

``_steps()`` lists the functions in the order they run; each takes the version and fills its
columns for the "apr" universe. A question module that derives columns for its own tables lists
its functions in its ``DERIVED`` list (run after the shared flags, in the order below).
"""

from __future__ import annotations

from collections.abc import Callable


def _steps() -> list[Callable]:
    from . import demographics, dq, lengths, people
    from .flags import STEPS as FLAGS
    from .income_records import fill_income_records

    modules = (lengths, people, demographics, dq)
    return [fill_income_records, *FLAGS, *(step for m in modules for step in m.DERIVED)]


def derive(version) -> None:
    """Fill every derived column of the version's APR rows (one or two statements per step)."""
    for step in _steps():
        step(version)
