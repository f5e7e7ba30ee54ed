"""One JSON shape for every API error, so clients parse errors the same way everywhere.

``{"status": 400, "code": "invalid", "detail": "...", "errors": {"field": ["..."]}}`` — ``errors``
only for validation problems, keyed by field (``non_field_errors`` for the object as a whole).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
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
