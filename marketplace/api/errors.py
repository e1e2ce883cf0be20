"""Errors raised outside a DRF view (unknown paths, Django's request guards, crashes) as JSON
under /api/, in the same `{"detail": …}` shape as every other API error; HTML pages elsewhere.

Nothing in these bodies comes from the exception: with DEBUG off no path, setting or traceback
reaches the client (the exception is logged by Django's request logger instead).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def api_error(detail: str, status: int, **headers: str) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, headers=headers or None, json_dumps_params={"ensure_ascii": False}
    )


def too_large(request: HttpRequest) -> JsonResponse:
    return api_error(_("The request body is too large."), 413)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request) if is_api(request) else _plain(_("The request body is too large."), 413)
    if is_api(request):
        return api_error(_("Bad request."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(_("You do not have permission to perform this action."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(_("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return api_error(_("Server error. Please try again later."), 500)
    return defaults.server_error(request)


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type=f"text/plain; charset={settings.DEFAULT_CHARSET}")
