"""APR exit destinations and moving on: Q23c, Q23d, Q23e, Q24b and the veteran and youth
versions Q25i, Q25j, Q27f1, Q27f2 (HUD CoC APR/ESG CAPER Programming Specifications FY2026 V1.0)."""

from __future__ import annotations

BUILDERS: dict = {}
