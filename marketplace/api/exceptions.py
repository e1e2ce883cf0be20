"""One place that turns service errors into the API's error shapes (docs/api.md, "Errors")."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marketplace.core.errors import NotAllowed, TooManyRequests, TransitionNotAllowed


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


def validation_error_detail(error: DjangoValidationError) -> dict[str, Any]:
    """`{"field": [messages]}`, except `detail`, which is one string as docs/api.md promises."""
    if not hasattr(error, "error_dict"):
        return {"detail": " ".join(str(m) for m in error.messages)}
    body: dict[str, Any] = {}
    for field, errors in error.error_dict.items():
        messages = [str(m) for e in errors for m in e.messages]
        if field == "detail":
            body["detail"] = " ".join(messages)
        else:
            body["non_field_errors" if field == "__all__" else field] = messages
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, TooManyRequests):
        return Response(
            {"detail": str(exc.message)},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(str(exc.message))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, RequestDataTooBig):
        # Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) hit while a form body was read: 413, not 400.
        exc = PayloadTooLarge()
    elif isinstance(exc, TooManyFieldsSent):
        exc = exceptions.ParseError(_("Too many form fields."))
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(_("Bad request."))
    return drf_exception_handler(exc, context)
