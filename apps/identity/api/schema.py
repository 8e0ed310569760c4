"""OpenAPI descriptions of our authentication classes (drf-spectacular extensions)."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class TenantJWTScheme(OpenApiAuthenticationExtension):
    target_class = "apps.identity.authentication.TenantJWTAuthentication"
    name = "jwt"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer", bearer_format="JWT")


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "apps.identity.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Api-Key <prefijo>.<secreto>` (o la cabecera X-API-Key)."}
