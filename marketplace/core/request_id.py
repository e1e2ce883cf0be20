"""A request id on every log line (issue 11), and the log lines as JSON when LOG_FORMAT=json.

The middleware takes the id a proxy or a partner sent in `X-Request-ID` (when it is a short token:
a header is input like any other) or makes one, returns it in the response's `X-Request-ID`, and
keeps it in a context variable for the duration of the request, so every line logged while
serving it — Django's, ours, a library's — carries it (RequestIdFilter). A support question that
quotes the header finds the lines; Gunicorn's access line carries it too (deploy/gunicorn.conf.py).
"""

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
NO_REQUEST = "-"
_VALID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get(HEADER, "")
        request_id = sent if _VALID.fullmatch(sent) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished): Django logs a 4xx / 5xx after
        # every middleware has returned, and that line must carry the id too.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _forget(**kwargs: Any) -> None:
    _current.set(NO_REQUEST)  # the thread serves its next request, or a task, with no id left over


request_finished.connect(_forget, dispatch_uid="marketplace.core.request_id")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request: tasks, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, request_id, message, and the
    traceback when there is one. Log collectors parse it without a pattern per format."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", NO_REQUEST),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
