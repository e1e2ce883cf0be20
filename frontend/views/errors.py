"""Friendly 400 / 403 / 404 / 500 pages (and the CSRF refusal) in the visitor's language. These are
the project's error handlers: paths under /api/ are answered by marketplace.api.errors in the API's
JSON error shape (`{"detail": …}`; a partner tool must never have to parse an HTML page), and a
database outage by marketplace.core.unavailable (503 with Retry-After)."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language

from marketplace.api import errors as api_errors
from marketplace.core.unavailable import outage_response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django refuses before any view (too many fields, a bad host): still a page."""
    if api_errors.is_api(request) or isinstance(exception, RequestDataTooBig):
        return api_errors.bad_request(request, exception)
    return render(request, "frontend/errors/400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form's security token was missing or stale (often a page left open for hours)."""
    if api_errors.is_api(request):
        return api_errors.permission_denied(request, PermissionDenied(reason))  # (the API says no more)
    return render(request, "frontend/errors/403_csrf.html", status=403)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if api_errors.is_api(request):
        return api_errors.permission_denied(request, exception)
    return render(request, "frontend/errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if api_errors.is_api(request):
        return api_errors.page_not_found(request, exception)
    return render(request, "frontend/errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    outage = outage_response(request)
    if outage is not None:
        return outage
    if api_errors.is_api(request):
        return api_errors.server_error(request)
    # No request context: whatever broke (the database, a context processor) must not break
    # this page too. The template stands alone and reads only the active language.
    page = loader.get_template("frontend/errors/500.html").render({"LANG": get_language()})
    return HttpResponseServerError(page)
