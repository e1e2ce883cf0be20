"""`Idempotency-Key` for the API's create endpoints: decorate the view's `post` with `@idempotent`.

With the header, the request runs in one transaction that first claims (user, key) — see
marketplace/core/idempotency.py. A retry with the same body gets the first answer again (status
and body, plus `Idempotent-Replayed: true`) and creates nothing; the same key with another body is
a 409. Without the header nothing changes. The schema documents the header on every decorated
operation (marketplace/api/schema.py reads `IDEMPOTENT_ATTR`).
"""

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from marketplace.core.idempotency import (
    KeyReused,
    Replay,
    idempotency_key_claim,
    idempotency_key_record,
    key_is_valid,
)

HEADER = "Idempotency-Key"
IDEMPOTENT_ATTR = "idempotent"

HEADER_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, 1–255 printable ASCII characters (a UUID is a good choice), unique per request you "
        "mean to make. Sending the same key and body again within 24 hours returns the first response "
        "(with `Idempotent-Replayed: true`) and creates nothing; the same key with a different body "
        "is refused with 409. A request refused with 4xx does not use up the key."
    ),
)


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "This Idempotency-Key was already used with a different request. "
        "Use a new key for a new request, or send exactly the same request to get its result again."
    )
    default_code = "idempotency_key_reused"


Handler = TypeVar("Handler", bound=Callable[..., Any])


def idempotent(handler: Handler) -> Handler:
    """Make a create handler honour `Idempotency-Key` (applied to `post` after authentication)."""

    @functools.wraps(handler)
    def wrapper(view: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            # Keys are per account; anonymous requests are refused by the view's permissions anyway.
            return handler(view, request, *args, **kwargs)
        if not key_is_valid(key):
            raise exceptions.ValidationError(
                {"detail": _("Idempotency-Key must be 1 to 255 printable ASCII characters.")}
            )
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            try:
                claim = idempotency_key_claim(user=request.user, key=key, fingerprint=fingerprint)
            except KeyReused:
                raise IdempotencyConflict() from None
            if isinstance(claim, Replay):
                return Response(claim.body, status=claim.status, headers={"Idempotent-Replayed": "true"})
            # An exception from the handler rolls back the claim together with the work.
            response = handler(view, request, *args, **kwargs)
            idempotency_key_record(claim=claim, status=response.status_code, body=_plain(response.data))
        return response

    setattr(wrapper, IDEMPOTENT_ATTR, True)
    return cast(Handler, wrapper)


def request_fingerprint(request: Request) -> str:
    """sha256 of method, full path and the parsed body (so JSON key order or a multipart boundary
    does not make an identical retry look different; uploaded files count by their content)."""
    payload = {
        "method": request.method,
        "path": request.get_full_path(),
        "body": _canonical(request.data),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, cls=JSONEncoder).encode()).hexdigest()


def _canonical(data: Any) -> Any:  # a parsed body: JSON values, a QueryDict or an upload
    if hasattr(data, "lists"):  # QueryDict (form or multipart): every value, files by content
        return {key: [_canonical(v) for v in values] for key, values in data.lists()}
    if isinstance(data, UploadedFile):
        digest = hashlib.sha256()
        for chunk in data.chunks():
            digest.update(chunk)
        data.seek(0)
        return {"file_sha256": digest.hexdigest()}
    return data


def _plain(data: Any) -> Any:  # JSON in, JSON out
    """The response body as stored JSON (Decimals, dates and lazy text as the renderer writes them)."""
    return json.loads(json.dumps(data, cls=JSONEncoder))
