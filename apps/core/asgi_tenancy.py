"""Websocket scope -> tenant (by Host) and user (session cookie or ?token= JWT).

Every lookup runs inside schema_context of the resolved tenant; a socket whose host names
no active brokerage is closed before it reaches a consumer.
"""
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


@database_sync_to_async
def _resolve(host: str, session_key: str | None, token: str | None):
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.tenancy.selectors import tenant_for_host

    connection.set_schema_to_public()
    tenant = tenant_for_host(host)
    if tenant is None or not tenant.is_active or tenant.schema_name == "public":
        return None, AnonymousUser()
    with schema_context(tenant.schema_name):
        return tenant, _user_from_token(token) if token else _user_from_session(session_key)


def _user_from_session(session_key):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import constant_time_compare

    if not session_key:
        return AnonymousUser()
    session = SessionStore(session_key)
    user_id = session.get(SESSION_KEY)
    if not user_id or not session.get(BACKEND_SESSION_KEY):
        return AnonymousUser()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(session.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()):
        return AnonymousUser()
    return user


def _user_from_token(token):
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

    from apps.identity.authentication import TenantJWTAuthentication

    auth = TenantJWTAuthentication()
    try:
        return auth.get_user(auth.get_validated_token(token.encode()))
    except (InvalidToken, TokenError, AuthenticationFailed):
        return AnonymousUser()


class TenantAuthMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        host = _header(scope, b"host")
        cookies = SimpleCookie(_header(scope, b"cookie"))
        session_key = cookies[settings.SESSION_COOKIE_NAME].value if settings.SESSION_COOKIE_NAME in cookies else None
        token = (parse_qs(scope.get("query_string", b"").decode()).get("token") or [None])[0]
        tenant, user = await _resolve(host, session_key, token)
        if tenant is None:
            await receive()  # the websocket.connect event; closing now rejects the handshake
            await send({"type": "websocket.close", "code": 4404})
            return
        scope = dict(scope, tenant=tenant, user=user)
        return await self.inner(scope, receive, send)
