"""APR Q7b and Q8b: point-in-time counts of persons and households on four nights.

Spec Q7b/Q8b (REFERENCE §4.2): the last Wednesday of January, April, July and October inside the
report range (the latest one when the range is longer than a year). Every stay in the universe
counts, not only each client's latest (a client is still counted once per night). On the night:
the stay started on or before it; a residential stay (types 0, 1, 2, 3, 8, 9, 10, 13) has not
exited (exit after the night), a PSH/RRH stay (3, 13) has also moved in (its own move-in or its
head of household's, Glossary "Handling Housing Move-In Dates"), an ES night-by-night stay has a
bed night on that night; a non-residential stay (4, 6, 7, 11, 12, 14) may exit on the night.
"""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Exists, OuterRef, Q

from hmis.models import Services

from ..engine import Table
from ..hud import HOH_Q, household_has
from .common import HOUSEHOLD_COLUMNS, HOUSEHOLD_Q, SPEC, UNIVERSE, cells

RESIDENTIAL = (0, 1, 2, 3, 8, 9, 10, 13)
MOVE_IN_TYPES = (3, 13)
MONTHS = [(2, "January", 1), (3, "April", 4), (4, "July", 7), (5, "October", 10)]
WEDNESDAY = 2


def last_wednesday(year: int, month: int) -> datetime.date:
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return last - datetime.timedelta(days=(last.weekday() - WEDNESDAY) % 7)


def pit_night(start: datetime.date, end: datetime.date, month: int) -> datetime.date | None:
    """The latest last Wednesday of ``month`` inside [start, end], or None."""
    for year in range(end.year, start.year - 1, -1):
        night = last_wednesday(year, month)
        if start <= night <= end:
            return night
    return None


def present_on(version, night: datetime.date | None) -> Q:
    """The stay was there on ``night`` (see the module docstring)."""
    if night is None:
        return Q(pk__in=[])
    bed_night = Services.objects.live().filter(
        enrollment_id=OuterRef("enrollment_id"), record_type=200, date_provided=night
    )
    moved_in = Q(move_in_date__isnull=False, move_in_date__lte=night) | household_has(
        version, UNIVERSE, HOH_Q & Q(move_in_date__isnull=False, move_in_date__lte=night)
    )
    residential = (
        Q(project_type__in=RESIDENTIAL)
        & (Q(exit_date__isnull=True) | Q(exit_date__gt=night))
        & (~Q(project_type__in=MOVE_IN_TYPES) | moved_in)
        & (~Q(project_type=1) | Q(Exists(bed_night)))
    )
    other = ~Q(project_type__in=RESIDENTIAL) & (Q(exit_date__isnull=True) | Q(exit_date__gte=night))
    return Q(entry_date__lte=night) & (residential | other)


def _pit_table(version, key: str, title: str, who: Q) -> Table:
    report = version.report
    rows = []
    labels = []
    for number, label, month in MONTHS:
        night = pit_night(report.start, report.end, month)
        labels.append((number, label if night is None else f"{label} ({night.isoformat()})"))
        rows.append((number, who & present_on(version, night)))
    return Table(
        key=key,
        title=title,
        columns=HOUSEHOLD_COLUMNS,
        rows=[(n, label.split(" (")[0]) for n, label in labels],
        cells=cells(HOUSEHOLD_Q, rows),
        all_stays=True,
        source=f"{SPEC} {key}; nights: " + ", ".join(label for _n, label in labels),
    )


def q7b(version) -> Table:
    """Q7b Point-in-Time Count of Persons on the Last Wednesday (spec Q7b)."""
    return _pit_table(version, "Q7b", "Point-in-Time Count of Persons on the Last Wednesday", Q())


def q8b(version) -> Table:
    """Q8b Point-in-Time Count of Households on the Last Wednesday (spec Q8b): heads."""
    return _pit_table(
        version, "Q8b", "Point-in-Time Count of Households on the Last Wednesday", HOH_Q
    )
