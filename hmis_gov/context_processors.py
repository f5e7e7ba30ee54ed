from django.conf import settings


def session_timeout(request) -> dict:
    """The idle timeout, so pages can warn before the automatic logoff."""
    return {"session_idle_timeout": settings.SESSION_COOKIE_AGE}
