from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.notifications.realtime import can_view_record, record_group, user_group

MAX_RECORDS_PER_SOCKET = 20


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """/ws/notifications/: the user's notifications and job progress, live.

    The tenant and user come from aitcore.asgi's middleware; refused sockets never join a group.
    Reconnecting: ?since=<last notification id seen> (or a {"type": "resume", "since": id} message)
    sends {"type": "resume", "notifications": [...oldest first, at most 50], "unread": n} with the
    user's notifications created after that id. "hello" carries "last_id", the newest one now.
    Messages in: "resume", "mark_read" ({"ids": [...]} or all); anything else closes with 4400.
    """

    async def connect(self):
        user = self.scope.get("user")
        tenant = self.scope.get("tenant")
        if tenant is None or user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        since = (parse_qs(self.scope.get("query_string", b"").decode()).get("since") or [None])[0]
        if since is not None and not _is_id(since):
            await self.close(code=4400)
            return
        self.group = user_group(user.pk, tenant.schema_name)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        unread, last_id = await self._state()
        await self.send_json({"type": "hello", "unread": unread, "last_id": last_id, "schema": tenant.schema_name})
        if since is not None:
            await self._resume(int(since))

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "mark_read":
            ids = content.get("ids")
            await self._mark_read(ids if isinstance(ids, list) else None)
        elif kind == "resume" and _is_id(content.get("since")):
            await self._resume(int(content["since"]))
        else:
            await self.close(code=4400)

    async def push(self, event):
        await self.send_json(event["message"])

    async def _resume(self, since: int):
        notifications, unread = await self._since(since)
        await self.send_json({"type": "resume", "notifications": notifications, "unread": unread})

    @database_sync_to_async
    def _state(self):
        from django_tenants.utils import schema_context

        from apps.notifications.services.notifications import last_notification_id, unread_count

        with schema_context(self.scope["tenant"].schema_name):
            return unread_count(self.scope["user"]), last_notification_id(self.scope["user"])

    @database_sync_to_async
    def _since(self, since: int):
        from django_tenants.utils import schema_context

        from apps.notifications.services.notifications import notifications_since, unread_count

        with schema_context(self.scope["tenant"].schema_name):
            user = self.scope["user"]
            return [n.as_message() for n in notifications_since(user, since)], unread_count(user)

    @database_sync_to_async
    def _mark_read(self, ids):
        from django_tenants.utils import schema_context

        from apps.notifications.services.notifications import notifications_mark_read

        with schema_context(self.scope["tenant"].schema_name):
            notifications_mark_read(actor=self.scope["user"], ids=ids)


def _is_id(value) -> bool:
    """A notification id as sent by the bell: a non-negative integer (or its digits)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 <= value < 10**18
    return isinstance(value, str) and value.isdigit() and len(value) <= 18


class RecordConsumer(AsyncJsonWebsocketConsumer):
    """/ws/records/?key=crm.party.12: "this record changed" for the pages that show it.

    Each key is checked with the rule its app registered (apps.notifications.realtime) before the
    socket joins the record's group: a socket asking for a record its user cannot see is refused
    (closed with 4403 before the handshake completes). More keys: {"type": "subscribe", "key": …}.
    Messages out: {"type": "subscribed", "keys": […]}, {"type": "record.changed", "key": …},
    {"type": "refused", "key": …}.
    """

    async def connect(self):
        user = self.scope.get("user")
        tenant = self.scope.get("tenant")
        self.record_groups = {}
        if tenant is None or user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        keys = list(dict.fromkeys(parse_qs(self.scope.get("query_string", b"").decode()).get("key", [])))
        if len(keys) > MAX_RECORDS_PER_SOCKET or not await self._may_follow(keys):
            await self.close(code=4403)
            return
        for key in keys:
            await self._join(key)
        await self.accept()
        await self.send_json({"type": "subscribed", "keys": keys})

    async def disconnect(self, code):
        for group in getattr(self, "record_groups", {}).values():
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        key = content.get("key") if isinstance(content, dict) else None
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "subscribe" and isinstance(key, str):
            if len(self.record_groups) < MAX_RECORDS_PER_SOCKET and await self._may_follow([key]):
                await self._join(key)
                await self.send_json({"type": "subscribed", "keys": [key]})
            else:
                await self.send_json({"type": "refused", "key": key})
        elif kind == "unsubscribe" and key in self.record_groups:
            await self.channel_layer.group_discard(self.record_groups.pop(key), self.channel_name)

    async def record_changed(self, event):
        await self.send_json({"type": "record.changed", "key": event["key"]})

    async def _join(self, key):
        group = record_group(key, self.scope["tenant"].schema_name)
        await self.channel_layer.group_add(group, self.channel_name)
        self.record_groups[key] = group

    @database_sync_to_async
    def _may_follow(self, keys) -> bool:
        from django_tenants.utils import schema_context

        with schema_context(self.scope["tenant"].schema_name):
            return all(can_view_record(self.scope["user"], key) for key in keys)
