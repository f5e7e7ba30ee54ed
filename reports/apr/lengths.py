"""APR lengths of time: Q22b, Q22c, Q22e, Q22f, Q22g and the youth versions Q27e, Q27j, Q27k,
Q27l (HUD CoC APR/ESG CAPER Programming Specifications FY2026 V1.0)."""

from __future__ import annotations

BUILDERS: dict = {}
