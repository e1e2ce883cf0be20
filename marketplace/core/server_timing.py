"""Where a request's time went, in the response's `Server-Timing` header (issue 11).

A load run sees only the client's latency: a trial cancel that takes 10 ms of CPU answered in
60–160 ms under 20 users, and nothing said whether it waited on PostgreSQL, on a row lock, or
on its own process (Gunicorn's threads share one interpreter lock). With SERVER_TIMING on, every
response carries

    Server-Timing: app;dur=57.2, cpu;dur=9.8, db;dur=21.4, dbq;desc=13

app: wall time inside Django; cpu: this thread's CPU time; db: time spent in the database calls
(sending, PostgreSQL's work, lock waits, commit), dbq: how many. What is left of app after cpu and
db is time the thread was ready but not running (the interpreter lock, a busy core) or waited on
something else (Redis). Gunicorn's access line logs the header (deploy/gunicorn.conf.py) and
`make load` sums it per kind of request (devtools/load/timing.py).

Off by default: the figures tell an outsider how long our queries take, which is no one's business
but ours; the load run and an operator chasing a slow page turn it on.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connection
from django.http import HttpRequest, HttpResponse


class _QueryClock:
    """A database execute wrapper: the time and the number of calls of this request's queries."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.calls += 1


def header(*, app: float, cpu: float, db: float, queries: int) -> str:
    """The header's value from seconds (rounded to 0.1 ms: finer is noise)."""
    return f"app;dur={app * 1000:.1f}, cpu;dur={cpu * 1000:.1f}, db;dur={db * 1000:.1f}, dbq;desc={queries}"


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not getattr(settings, "SERVER_TIMING", False):
            raise MiddlewareNotUsed  # Django drops it from the chain: no cost when off
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        clock = _QueryClock()
        wall, cpu = time.perf_counter(), time.thread_time()
        # A connection belongs to one thread in Django, so the wrapper sees this request's
        # queries only, however many threads the server runs.
        with connection.execute_wrapper(clock):
            response = self.get_response(request)
        response["Server-Timing"] = header(
            app=time.perf_counter() - wall,
            cpu=time.thread_time() - cpu,
            db=clock.seconds,
            queries=clock.calls,
        )
        return response
