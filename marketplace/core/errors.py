"""Errors that services raise. The API maps them to status codes in one place
(marketplace/api/exceptions.py), the web forms show their messages."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["NotAllowed", "PermissionDenied", "TooManyRequests", "TransitionNotAllowed", "ValidationError"]


class TransitionNotAllowed(Exception):
    """A state change that is not allowed from the current state (HTTP 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(PermissionDenied):
    """The actor may not do this (HTTP 403). Carries a message for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooManyRequests(Exception):
    """The actor did this too often lately (HTTP 429 with Retry-After). Nothing was written."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
