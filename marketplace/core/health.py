"""Liveness and readiness for the load balancer / orchestrator.

`live` answers without touching anything (the process serves requests); `ready` checks what a
request needs: the database (one query) and the broker (one connection, no retries). Without a
broker (eager tasks, `make run`) there is nothing to reach. Pending outbox rows are reported so
an operator sees side effects waiting for a broker that is back. Apps above core add their own
dependencies (search registers its engine) with `readiness_check_register`, so this module names
no app. `/healthz` and `/readyz` are the conventional names for the same two views.
"""

from collections.abc import Callable
from typing import Any

from celery import current_app
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .outbox import outbox_pending_counts
from .unavailable import DATABASE_ERRORS, RETRY_AFTER_SECONDS

# name -> a function answering "ok", "unavailable" or "not used" (quickly: a load balancer waits on it)
_READINESS_CHECKS: dict[str, Callable[[], str]] = {}


def readiness_check_register(name: str, check: Callable[[], str]) -> None:
    _READINESS_CHECKS[name] = check


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> tuple[str, dict | None]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok", outbox_pending_counts()
    except DATABASE_ERRORS:
        return "unavailable", None


def _broker() -> str:
    if current_app.conf.task_always_eager or not current_app.conf.broker_url:
        return "not used"
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return "ok"
    except Exception:  # any failure to reach it is "not ready"; the reason is in the broker's logs
        return "unavailable"


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    database, pending = _database()
    checks = {"database": database, "broker": _broker()}
    for name, check in _READINESS_CHECKS.items():
        try:
            checks[name] = check()
        except Exception:  # a check that fails to answer means the dependency is not ready
            checks[name] = "unavailable"
    ok = all(state in {"ok", "not used"} for state in checks.values())
    body: dict[str, Any] = {"status": "ok" if ok else "unavailable", **checks}
    if pending is not None:
        body["outbox_pending"] = pending
    response = JsonResponse(body, status=200 if ok else 503)
    if not ok:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
