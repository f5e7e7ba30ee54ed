"""Building blocks of the permission matrix (rows live in one module per app beside this one).

Each row names a route (the URL name the self-check test looks for), how to call it, and the
status each demo role gets. ``anon`` is a visitor without a login. Rows are data so that the
self-check can prove every route of the app has one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

ALL_IN_XX500 = ["cocadmin", "governance", "director_a", "dqm_a", "staff_a", "dqm_b", "committee"]


@dataclass
class Row:
    route: str  # URL name, e.g. "agency-detail" or "agencies:agency"
    method: str
    url: Callable  # demo -> path
    expect: dict[str, int]
    body: Callable | None = None  # demo -> request body
    api: bool = True
    label: str = ""
    note: str = field(default="")

    @property
    def id(self) -> str:
        return self.label or f"{self.method} {self.route}"


def statuses(default: int, anon: int, **overrides: int) -> dict[str, int]:
    """Every demo role gets ``default`` unless named in ``overrides``."""
    expect = {name: default for name in [*ALL_IN_XX500, "cocadmin2"]}
    expect.update(overrides)
    expect["anon"] = anon
    return expect


def today() -> str:
    return datetime.date.today().isoformat()


def url(name, *args):
    """A path for ``name``; each arg is a value or a callable ``demo -> value``."""
    return lambda demo: reverse(name, args=[a(demo) if callable(a) else a for a in args])


def role_id(key: str) -> int:
    from roles.models import Role

    return Role.objects.get(key=key).pk


# Roles with a CoC-wide view of XX-500; agency-scoped roles see only their agency.
COC_WIDE = {"cocadmin": 200, "governance": 200, "committee": 200}
