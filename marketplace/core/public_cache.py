"""Anonymous reads of the public catalogue, answered from the shared cache (issue 11).

Most requests a marketplace serves are the same anonymous reads (a search for 面膜, the first
page of products) asked again and again. Rendering one costs 15–40 ms of CPU; answering it from
Redis costs about a tenth of that. A response is kept only when nobody is signed in (no
`Authorization` header, no session cookie), it is a 200, and it sets no cookie, so nothing
personal is ever shared; the key holds the method, host, path, query, language and `Accept`
header, so each variant is kept apart. The public pages (home, product, factory, search) are kept
whole for anonymous visitors (`public_page`): their header is the signed-out one and holds no
CSRF token (the language menu posts without one, marketplace/urls.py). A page whose frame is
personal but whose main part is the same for everyone, the search page of a signed-in visitor,
keeps only that part (`public_fragment`).

Freshness: every copy carries the catalogue's *generation*, a counter that moves when a product
or a factory changes (`catalog_changed`, called by core/dirty.py after the writing transaction
commits, and by the search indexer once new documents are searchable). A change is therefore
visible at the next request: a copy is served only while the counter still says the generation
it was built under. The counter and the copy are read together (one MGET: under load each round
trip to Redis waits for a core, and a cached read made two). `PUBLIC_CACHE_SECONDS` (0 turns the
cache off) bounds what no hook sees, e.g. a factory's record counted from its orders.

The cache is an optimization only: when Redis fails, the request is served uncached and the
error is logged, never shown.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

logger = logging.getLogger(__name__)

GENERATION_KEY = "public:catalog:generation"
# Response headers a cached copy keeps (the rest are the request's own, e.g. X-Request-ID).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Allow")
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage.cookie_name


def _seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 0))


def _fresh_start() -> int:
    # The counter itself can be lost (evicted, Redis restarted) while copies kept under it live on:
    # a new counter starts at the clock in microseconds, above any value the old one reached
    # unless it moved more than once a microsecond, so no old copy is ever read again.
    return time.time_ns() // 1000


def catalog_generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_start(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the counter is gone: a fresh one is above every generation used so far
        cache.add(GENERATION_KEY, _fresh_start(), timeout=None)
    except Exception:  # an outage must not fail the write that already committed
        logger.warning("public cache: could not move the catalogue generation", exc_info=True)


def catalog_changed() -> None:
    """Something a visitor sees changed: cached public reads stop being served once the caller's
    transaction commits (at once outside one)."""
    if _seconds():
        transaction.on_commit(_bump)


def _anonymous(request: HttpRequest) -> bool:
    # A visitor with a message waiting (django.contrib.messages keeps it in a cookie, e.g. "you
    # are signed out") must get a page that shows it, rendered for them.
    return (
        "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def _key(request: HttpRequest, kind: str = "response") -> str:
    query = sorted(request.GET.lists())
    parts: list[str] = [
        kind,
        request.method or "",
        request.scheme or "",
        request.get_host(),
        request.path,
        repr(query),
        translation.get_language() or "",
        # An API response's format follows Accept (DRF); a page or a fragment is HTML whatever
        # the browser asks (and each browser asks differently).
        request.META.get("HTTP_ACCEPT", "") if kind == "response" else "",
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"public:{digest}"


def _read(key: str) -> tuple[int, Any]:
    """The catalogue's generation and the copy kept under `key` if it was built under that
    generation (else None), in one round trip."""
    found = cache.get_many([GENERATION_KEY, key])
    if GENERATION_KEY not in found:
        return catalog_generation(), None  # starts a counter above every copy kept so far
    generation = int(found[GENERATION_KEY])
    kept = found.get(key)
    if kept is None or kept[0] != generation:
        return generation, None
    return generation, kept[1]


def _keep(key: str, generation: int, value: Any, seconds: int) -> None:
    try:
        cache.set(key, (generation, value), timeout=seconds)
    except Exception:
        logger.warning("public cache: write failed", exc_info=True)


def _restore(stored: dict) -> HttpResponse:
    response = HttpResponse(stored["content"], status=stored["status"])
    for name, value in stored["headers"].items():
        response[name] = value
    response["X-Cache"] = "hit"
    return response


def public_fragment(request: HttpRequest, name: str, build: Callable[[], str]) -> str:
    """The HTML `build` returns for this request's path, query and language, from the cache when
    it was built before under the current generation. For a page whose frame is personal (the
    header, a form's CSRF token) but whose main part is the same for everyone, e.g. the search
    results: the caller vouches that `build` reads nothing of the user."""
    seconds = _seconds()
    if not seconds or request.method != "GET":
        return build()
    try:
        key = _key(request, kind=name)
        generation, kept = _read(key)
    except Exception:
        logger.warning("public cache: read failed; building the fragment", exc_info=True)
        return build()
    if kept is not None:
        return str(kept)
    html = build()
    _keep(key, generation, html, seconds)
    return html


def public_cached(view: Callable) -> Callable:
    """Wrap an API view (a function or `View.as_view()`) so anonymous GETs are served from the
    cache, one copy per `Accept` header (the answer's format follows it)."""
    return _cached(view, kind="response")


def public_page(view: Callable) -> Callable:
    """Wrap a page view so anonymous GETs are served from the cache. The page must read nothing
    of the visitor but the language (its header is the signed-out one for every visitor) and must
    not set a cookie; a page that does (a form with a CSRF token) is simply never stored."""
    return _cached(view, kind="page")


def _cached(view: Callable[..., HttpResponse], *, kind: str) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = _seconds()
        if not seconds or request.method not in ("GET", "HEAD") or not _anonymous(request):
            return view(request, *args, **kwargs)
        try:
            key = _key(request, kind=kind)
            generation, stored = _read(key)
        except Exception:
            logger.warning("public cache: read failed; serving uncached", exc_info=True)
            return view(request, *args, **kwargs)
        if stored is not None:
            return _restore(stored)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()  # DRF and template responses render lazily; the copy needs the bytes
        if response.status_code == 200 and not response.cookies and not getattr(response, "streaming", False):
            stored = {
                "status": 200,
                "content": response.content,
                "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
            }
            _keep(key, generation, stored, seconds)
            response["X-Cache"] = "miss"
        return response

    return wrapper
