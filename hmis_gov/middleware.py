"""Answers for failures outside a view's own handling."""

from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from hmis_gov.api.errors import DATABASE_UNAVAILABLE, database_unavailable

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A view whose database connection dropped answers 503, not a 500 traceback page.

    The page is rendered without a request context: its context processors would query the
    database that just failed. API paths get the API's error shape (``hmis_gov.api.errors``) for
    the few views DRF's handler does not wrap. Whatever the view had begun was rolled back with
    the connection (a transaction ends with its session), and Django drops the unusable
    connection at the end of the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        log.error("database unavailable during %s %s: %s", request.method, request.path, exception)
        if request.path.startswith("/api/"):
            return JsonResponse(dict(DATABASE_UNAVAILABLE), status=503)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
