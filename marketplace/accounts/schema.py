"""The OpenAPI description of the partner key scheme, next to the authentication class it describes
(drf-spectacular finds it by `target_class` once this module is imported: AccountsConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "marketplace.accounts.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Partner key: `Api-Key <prefix>.<secret>`",
        }
