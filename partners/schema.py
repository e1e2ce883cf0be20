"""The OpenAPI side of partner keys: the `Api-Key` scheme of partners.authentication, and a
postprocessing hook that writes on every operation which scope a key needs (scopes.RULES), so the
served document says it where a partner reads it."""

import re
from typing import Any

from django.urls import Resolver404, resolve
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from rest_framework.request import Request

from .scopes import rule_for


# Subclassing registers the extension, in drf-spectacular's untyped __init_subclass__.
class PartnerApiKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "partners.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Organization key: `Api-Key <prefix>.<secret>`. It acts for one of the organization's "
                "streamers, named by `?buyer=<id>` (or a `buyer` field in the body), and only on "
                "operations whose description names a scope the key has (`x-partner-scope`)."
            ),
        }


BUYER_PARAMETER = {
    "name": "buyer",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1},
    "description": (
        "With an organization's API key, or a member's token: the streamer (buyer id) this request "
        "acts for; one of the organization's streamers, or 404. A streamer naming themselves acts "
        "as themselves."
    ),
}
TOO_MANY = {
    "description": "This API key made too many requests this minute; wait `Retry-After` seconds.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
BUYER_ERRORS = {
    "400": "The input was refused: see the messages per field (or `detail`); `buyer` is not a number.",
    "404": "No such object among those you may see, or `buyer` names a streamer you may not act for.",
}


def partner_scopes_hook(
    result: dict[str, Any], generator: SchemaGenerator, request: Request | None, public: bool
) -> dict[str, Any]:
    """Mark each operation a partner key may call: `x-partner-scope`, the `buyer` parameter, 429."""
    for path, item in result.get("paths", {}).items():
        try:
            match = resolve(re.sub(r"\{[^}]+\}", "1", path))
        except Resolver404:
            continue
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            rule = rule_for(match.url_name, method.upper())
            if rule is None:
                continue
            operation["x-partner-scope"] = rule.scope or "any"
            names = {p["name"] for p in operation.get("parameters", [])}
            if "buyer" not in names:
                operation.setdefault("parameters", []).append(dict(BUYER_PARAMETER, required=False))
            operation["responses"].setdefault("429", TOO_MANY)
            # `buyer` that is not a number (400) or not a streamer the caller may act for (404).
            for code, description in BUYER_ERRORS.items():
                operation["responses"].setdefault(code, dict(ERROR, description=description))
    return result
