"""The OpenAPI description of the partner key scheme, next to the authentication class it describes
(drf-spectacular finds it by `target_class` once this module is imported: AccountsConfig.ready)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


# Subclassing registers the extension, in drf-spectacular's untyped __init_subclass__.
class ApiKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "marketplace.accounts.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Partner key: `Api-Key <prefix>.<secret>`",
        }
