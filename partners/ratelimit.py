"""Requests per key per minute, counted in the cache: Redis in production (CACHE_URL), so every
web process and server shares one count; local memory only for `make run`.

A fixed one-minute window per key (one atomic INCR a request): simple, and its worst case (a burst
at the end of one window and the start of the next, twice the rate for a moment) is acceptable
for a limit that protects the service rather than bills anyone.
"""

import math
import time

from django.core.cache import cache

WINDOW_SECONDS = 60


def rate_limit_hit(*, key_id: int, per_minute: int, now: float | None = None) -> int | None:
    """Count one request; None when it is within the limit, else the seconds until the next window."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
    name = f"partner-key-rate:{key_id}:{window}"
    cache.add(name, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count <= per_minute:
        return None
    return max(1, math.ceil(window + WINDOW_SECONDS - now))
