"""Sign-in throttling for every entrance: the API token, the web sign-in and the admin login.

One mechanism, django-axes: its authentication backend runs inside `authenticate()`, which all
three entrances call, and counts failures per account and per address in a cache (Redis in
production, local memory for `make run`; see CACHES in settings). These two callables are
plugged into it: how a typed name is counted, and what a locked-out client is told.
"""

import math
import unicodedata
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def username_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """'Demo', 'DEMO' and a full-width 'ｄｅｍｏ' are one account, so they share one failure count."""
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = getattr(request, "POST", {}).get("username", "")
    return unicodedata.normalize("NFKC", str(typed or "")).lower()[:150]


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with Retry-After: JSON in the API's error shape, a page in the visitor's language elsewhere."""
    seconds = int(get_cool_off(request).total_seconds())
    minutes = max(1, math.ceil(seconds / 60))
    message = ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    headers = {"Retry-After": str(seconds)}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": message}, status=429, headers=headers, json_dumps_params={"ensure_ascii": False}
        )
    response = render(
        request, "accounts/locked_out.html", {"message": message, "title": _("Sign-in paused")}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


class SignInThrottleBackend(AxesStandaloneBackend):
    """django-axes' backend, except that a sign-in with no request (the shell, a test client's
    `login()`) is not an entrance from the network and is not counted rather than refused."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if request is None:
            return None
        user: AbstractBaseUser | None = super().authenticate(
            request, username=username, password=password, **kwargs
        )
        return user
