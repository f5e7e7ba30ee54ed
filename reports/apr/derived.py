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

# The derived columns' revision, written on each row by the snapshot (``flags.at_snapshot``):
# bump it when a module adds or changes a derived column, and the rows of older versions are
# derived again before a drill-down reads them (``reports.apr.table``).
REVISION = 1


def _steps(everything: bool = False) -> list[Callable]:
    from . import demographics, dq, lengths, people
    from .flags import ALL_STEPS, STEPS
    from .income_records import fill_income_records

    first = [fill_income_records, *ALL_STEPS] if everything else STEPS
    modules = (lengths, people, demographics, dq)
    return [*first, *(step for m in modules for step in m.DERIVED)]


def derive(version, everything: bool = False) -> None:
    """Fill every derived column of the version's APR rows (one or two statements per step).

    A new version's snapshot already wrote the columns of ``flags.at_snapshot`` and
    ``income_records.at_snapshot``; ``everything`` fills those too (a version built before
    they existed).
    """
    for step in _steps(everything):
        step(version)
