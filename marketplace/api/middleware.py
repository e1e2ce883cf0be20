"""Guards for every /api/ request that run before any view reads the body or the query."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .errors import api_error, is_api


class ApiRequestGuardMiddleware:
    """413 for a declared body over the limit, 400 for a NUL in the query string.

    Checking Content-Length up front answers an oversized upload before it is read; DRF's JSON
    parser reads the stream itself (not `request.body`), so Django's own limit never applies to it.
    A NUL in a query parameter would reach PostgreSQL (search, filters) and fail there as a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api(request):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return api_error(_("Bad request."), 400)
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return api_error(_("The request body is too large."), 413)
            if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
                return api_error(_("Text may not contain NUL characters."), 400)
        return self.get_response(request)
