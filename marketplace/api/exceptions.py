"""One place that turns service errors into the API's error shapes (API.md, "Errors")."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marketplace.core.errors import NotAllowed, TransitionNotAllowed


def validation_error_detail(error: DjangoValidationError) -> dict:
    """`{"field": [messages]}`, except `detail`, which is one string as API.md promises."""
    if not hasattr(error, "error_dict"):
        return {"detail": " ".join(str(m) for m in error.messages)}
    body = {}
    for field, errors in error.error_dict.items():
        messages = [str(m) for e in errors for m in e.messages]
        if field == "detail":
            body["detail"] = " ".join(messages)
        else:
            body["non_field_errors" if field == "__all__" else field] = messages
    return body


def exception_handler(exc, context):
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(str(exc.message))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
