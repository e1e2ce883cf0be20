"""OpenAPI schema tweaks (drf-spectacular)."""

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ComponentRegistry, ResolvedComponent
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

from .idempotency import HEADER_PARAMETER, IDEMPOTENT_ATTR

# The one error shape (docs/api.md, "Errors"): `{"detail": "message"}` or `{"field": ["message", …]}`.
ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'Either `{"detail": "message"}` or `{"field": ["message", …]}` (nested fields nest the same '
        "way); every message is written for a person to act on."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {},
}
ERROR_DESCRIPTIONS = {
    "400": "The input was refused: see the messages per field (or `detail`).",
    "401": "No credentials, or credentials that are not valid (`Authorization: Token …` / `Api-Key …`).",
    "403": "Signed in, but this account may not do this.",
    "404": "No such object among those you may see (someone else's private object is a 404 too), "
    "or a page number past the last page.",
    "409": "Not allowed from the object's current state, or an Idempotency-Key reused with another request.",
    "415": "The body's Content-Type is not one this operation reads (see its request body).",
}
OPEN = (permissions.AllowAny, permissions.IsAuthenticatedOrReadOnly)
SAFE = ("GET", "HEAD", "OPTIONS")


class AutoSchema(SpectacularAutoSchema):
    """Name components after the view that nests them: `RegisterApi.InputSerializer` → `RegisterApiInput`.

    Each view keeps its own small Input/Output serializers (HackSoft style); without this their
    names would collide in the schema.

    Also: every operation lists the 4xx answers it can give (in the one error shape), and create
    operations document the `Idempotency-Key` header (marketplace/api/idempotency.py).
    """

    def _get_serializer_name(
        self, serializer: serializers.BaseSerializer, direction: str, bypass_extensions: bool = False
    ) -> str:
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        qualname = type(serializer).__qualname__
        if "." in qualname and not getattr(getattr(serializer, "Meta", None), "ref_name", None):
            outer = qualname.rsplit(".", 2)[-2]
            name = f"{outer}{name}"
        return name

    def _is_idempotent(self) -> bool:
        return bool(getattr(getattr(self.view, self.method.lower(), None), IDEMPOTENT_ATTR, False))

    def get_override_parameters(self) -> list[OpenApiParameter | Any]:  # Any: drf-spectacular's serializers
        parameters = super().get_override_parameters()
        return [*parameters, HEADER_PARAMETER] if self._is_idempotent() else parameters

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: ComponentRegistry
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            for parameter in operation.get("parameters", []):
                # Ids in paths are positive (`<int:pk>` routes digits only): say so, so that
                # clients and fuzzers do not expect `-1` to reach the view.
                if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                    parameter["schema"]["minimum"] = 1
            responses = operation["responses"]
            for code in self._error_codes(operation):
                responses.setdefault(code, self._error_response(code))
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> list[str]:
        codes = []
        writes = self.method not in SAFE
        parameters = operation.get("parameters", [])
        if writes or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if self.view.get_authenticators():
            codes.append("401")  # a bad token is refused on every operation that reads credentials
        guarded = not all(isinstance(p, OPEN) for p in self.view.get_permissions())
        if guarded or writes:
            codes.append("403")
        if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
            codes.append("404")
        if writes:
            codes.append("409")
        if "requestBody" in operation:
            codes.append("415")
        return codes

    def _error_response(self, code: str) -> dict[str, Any]:
        component = ResolvedComponent(  # type: ignore[no-untyped-call]  # drf-spectacular leaves it untyped
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(component)
        return {
            "content": {"application/json": {"schema": component.ref}},
            "description": ERROR_DESCRIPTIONS[code],
        }
