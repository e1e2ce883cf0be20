"""Friendly 400 / 403 / 404 / 500 pages (and the CSRF refusal) in the visitor's language. Paths under /api/ keep the API's
JSON error shape (`{"detail": …}`): a partner tool must never have to parse an HTML page."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied

from marketplace.core.unavailable import outage_response

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception=None):
    """A request Django refuses before any view (too many fields, a bad host): still a page."""
    if _is_api(request):
        return JsonResponse({"detail": str(ParseError.default_detail)}, status=400)
    return render(request, "frontend/errors/400.html", status=400)


def csrf_failure(request, reason=""):
    """The form's security token was missing or stale (often a page left open for hours)."""
    if _is_api(request):
        return JsonResponse({"detail": str(PermissionDenied.default_detail)}, status=403)
    return render(request, "frontend/errors/403_csrf.html", status=403)


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": str(PermissionDenied.default_detail)}, status=403)
    return render(request, "frontend/errors/403.html", status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return render(request, "frontend/errors/404.html", status=404)


def server_error(request):
    outage = outage_response(request)
    if outage is not None:
        return outage
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side; please try again later.")}, status=500
        )
    # No request context: whatever broke (the database, a context processor) must not break
    # this page too. The template stands alone and reads only the active language.
    page = loader.get_template("frontend/errors/500.html").render({"LANG": get_language()})
    return HttpResponseServerError(page)
