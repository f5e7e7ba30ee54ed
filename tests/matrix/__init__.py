"""The permission matrix: every endpoint and page × every demo role → the expected status.

Each app adds a module here with a ``ROWS`` list (see ``base.Row``); this package gathers them.
The self-check test fails when a route of the app has no row.
"""

import importlib
import pkgutil

ROWS = []
for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        ROWS.extend(importlib.import_module(f"{__name__}.{_module.name}").ROWS)
