"""The permission matrix: every endpoint and page × every demo role → the expected status.

Each app adds a module here with a ``ROWS`` list (see ``base.Row``); this package gathers them.
The self-check test fails when a route of the app has no row.

A module may also define ``INTERNAL_MODELS = {"app.Model": "why no view serves it directly"}``
for tenant models that reach users only through another restricted path (an export, a parent
object's page); the self-check accepts those and a reviewer reads the reasons.
"""

import importlib
import pkgutil

ROWS = []
INTERNAL_MODELS: dict[str, str] = {}
for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        _loaded = importlib.import_module(f"{__name__}.{_module.name}")
        ROWS.extend(_loaded.ROWS)
        INTERNAL_MODELS.update(getattr(_loaded, "INTERNAL_MODELS", {}))
