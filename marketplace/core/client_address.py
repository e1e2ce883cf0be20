"""Keeps the client address of the request being served for the audit rows of staff actions
(marketplace.core.events.request_from). Read as sign-in throttling and the admin read it: behind
a proxy from X-Forwarded-For when PROXY_COUNT is set."""

from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.http import HttpRequest, HttpResponse

from .events import request_from


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_from(get_client_ip_address(request) or None):
            return self.get_response(request)
