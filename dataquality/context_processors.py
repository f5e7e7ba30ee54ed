"""The in-app count: open and in-review flags the signed-in user may see (one query a page)."""

from __future__ import annotations

# The badge says "1000+" beyond this: counting every open flag of a large CoC on every page
# (130,000 at 200,000 clients) cost 150-300 ms a page; counting up to the cap stops early.
BADGE_CAP = 1000


def dq_open_flags(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from .models import Flag

        flags = Flag.objects.restrict(user, "view").filter(status__in=("open", "in_review"))
        return flags.order_by()[: BADGE_CAP + 1].count()  # BADGE_CAP + 1 means "more"

    # Lazy: the query runs only where a template shows the badge (templates call callables).
    return {"dq_open_flags": count, "dq_badge_cap": BADGE_CAP}
