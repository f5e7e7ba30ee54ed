"""APR contacts, conditions and education: Q9a, Q9b, Q13a2, Q13b2, Q13c2, Q26e, Q27m (HUD CoC
APR/ESG CAPER Programming Specifications FY2026 V1.0)."""

from __future__ import annotations

BUILDERS: dict = {}
