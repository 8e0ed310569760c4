"""API authentication that knows which brokerage the request is for."""
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication

TENANT_CLAIM = "tenant"


def token_revoked(token, user) -> bool:
    """Issued before the user signed out everywhere. `iat` has whole seconds and the revocation instant is
    truncated to its second, so a token issued in that same second stays valid."""
    valid_after = getattr(user, "tokens_valid_after", None)
    return valid_after is not None and int(token.get("iat", 0)) < valid_after.timestamp()


class TenantJWTAuthentication(JWTAuthentication):
    """A token is valid only on the brokerage that issued it (user ids repeat across schemas), and not after
    its user signed out everywhere."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if token_revoked(validated_token, user):
            raise exceptions.AuthenticationFailed(
                _("Se cerró la sesión en todos los dispositivos; vuelva a identificarse."), code="token_revoked"
            )
        return user

    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if token.get(TENANT_CLAIM) != connection.schema_name:
            raise exceptions.AuthenticationFailed(
                _("El token pertenece a otra correduría y no es válido en este dominio."), code="token_wrong_tenant"
            )
        return token


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <prefix>.<secret>` or `X-API-Key: <prefix>.<secret>`."""

    keyword = "Api-Key"

    def authenticate(self, request):
        from apps.identity.services.api_keys import api_key_authenticate

        header = authentication.get_authorization_header(request).decode(errors="ignore")
        raw = ""
        if header.startswith(self.keyword + " "):
            raw = header[len(self.keyword) + 1:].strip()
        elif request.META.get("HTTP_X_API_KEY"):
            raw = request.META["HTTP_X_API_KEY"].strip()
        if not raw:
            return None
        key = api_key_authenticate(raw)
        if key is None or not key.user.is_active:
            raise exceptions.AuthenticationFailed(_("Clave de API no válida, caducada o revocada."), code="invalid_api_key")
        return key.user, key

    def authenticate_header(self, request):
        return self.keyword
