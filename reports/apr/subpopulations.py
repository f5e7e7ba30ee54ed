"""APR veterans, chronically homeless persons and youth: Q25b, Q25d, Q26a, Q26d, Q27a, Q27b,
Q27d (HUD CoC APR/ESG CAPER Programming Specifications FY2026 V1.0)."""

from __future__ import annotations

BUILDERS: dict = {}
