"""APR income, benefits and health insurance: Q18, Q19a1, Q19a2, Q19b, Q20a, Q20b, Q21 and the
youth versions Q27g, Q27h, Q27i (HUD CoC APR/ESG CAPER Programming Specifications FY2026 V1.0)."""

from __future__ import annotations

BUILDERS: dict = {}
