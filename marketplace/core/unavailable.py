"""When the database cannot answer: 503 with Retry-After instead of a 500.

A connection refused, dropped or timed out is an outage the client should wait out, not a bug
in its request: API clients get the API's one error shape (`{"detail": ...}`, see docs/api.md) and
browsers a plain page. The middleware catches what views (DRF included: its exception handler
passes unknown exceptions on) raise; the project's handler500 (frontend.views.errors.server_error)
asks `outage_response` about what escapes the middleware chain (a session saved after the view,
for instance) and renders every other 500 itself.
"""

import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# Seconds a client should wait: long enough for a database restart or failover to finish.
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    message = _("The service is briefly unavailable. Please try again in a moment.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        # Rendered without the request: context processors could touch the database again.
        body = render_to_string("core/503.html", {"message": message})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return unavailable_response(request)
        return None


def outage_response(request: HttpRequest) -> HttpResponse | None:
    """For a handler500: the 503 when the exception being handled is a database outage, else None."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return unavailable_response(request)
    return None
