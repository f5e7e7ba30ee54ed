"""One JSON shape for every API error, so clients parse errors the same way everywhere.

``{"status": 400, "code": "invalid", "detail": "...", "errors": {"field": ["..."]}}`` — ``errors``
only for validation problems, keyed by field (``non_field_errors`` for the object as a whole).
A lost database connection answers 503 ``database_unavailable``: the request's transaction was
rolled back with the connection, so nothing it began is written, and the client may retry.
Deleting an object other records still point at (``on_delete=PROTECT``/``RESTRICT``) answers 409
``in_use`` and names what holds it.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

DATABASE_UNAVAILABLE = {
    "status": 503,
    "code": "database_unavailable",
    "detail": "The database could not be reached; nothing was saved. Try again in a moment.",
}


def database_unavailable(exc) -> bool:
    """A dropped or unreachable database connection (not a constraint or a query error)."""
    return isinstance(exc, OperationalError | InterfaceError)


class InUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "in_use"


def in_use(exc: ProtectedError | RestrictedError) -> InUse:
    objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    kinds = sorted({str(obj._meta.verbose_name_plural) for obj in objects})
    return InUse(f"Still in use by {', '.join(kinds)}: delete or change those first.")


def exception_handler(exc, context):
    if database_unavailable(exc):
        return Response(dict(DATABASE_UNAVAILABLE), status=status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = in_use(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["detail"] = "The request has invalid values; see errors."
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body["errors"] = detail
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        body["code"] = codes if isinstance(codes, str) else "error"
        body["detail"] = str(exc.detail) if not isinstance(exc.detail, dict | list) else exc.detail
    if response.status_code == status.HTTP_404_NOT_FOUND:
        body["detail"] = "Not found."
    response.data = body
    return response
