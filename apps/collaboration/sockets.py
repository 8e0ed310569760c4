"""The admission every collaboration socket shares: signed in at a brokerage, and allowed to take part in
the record named by ?key= (apps.collaboration.records.can_collaborate). A refused socket is closed before
the handshake completes and never joins a group; the check holds no database connection afterwards."""
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from apps.collaboration.records import can_collaborate

CLOSE_NOT_LOGGED_IN, CLOSE_FORBIDDEN = 4401, 4403


@database_sync_to_async
def _may_collaborate(scope, key: str) -> bool:
    from django_tenants.utils import schema_context

    with schema_context(scope["tenant"].schema_name):
        return can_collaborate(scope["user"], key)


async def admitted_key(consumer) -> str | None:
    """The record key of `consumer`'s socket, or None after closing it with 4401 or 4403."""
    user, tenant = consumer.scope.get("user"), consumer.scope.get("tenant")
    if tenant is None or user is None or not user.is_authenticated:
        await consumer.close(code=CLOSE_NOT_LOGGED_IN)
        return None
    key = (parse_qs(consumer.scope.get("query_string", b"").decode()).get("key") or [""])[0]
    if not await _may_collaborate(consumer.scope, key):
        await consumer.close(code=CLOSE_FORBIDDEN)
        return None
    return key
