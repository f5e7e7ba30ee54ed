"""The in-app count: open and in-review flags the signed-in user may see (one query a page)."""

from __future__ import annotations


def dq_open_flags(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from .models import Flag

        return Flag.objects.restrict(user, "view").filter(status__in=("open", "in_review")).count()

    # Lazy: the query runs only where a template shows the badge (templates call callables).
    return {"dq_open_flags": count}
