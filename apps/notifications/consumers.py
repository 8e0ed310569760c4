from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.notifications.realtime import can_view_record, record_group, user_group

MAX_RECORDS_PER_SOCKET = 20


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """/ws/notifications/: the user's notifications and job progress, live.

    The tenant and user come from aitcore.asgi's middleware; refused sockets never join a group.
    """

    async def connect(self):
        user = self.scope.get("user")
        tenant = self.scope.get("tenant")
        if tenant is None or user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk, tenant.schema_name)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "unread": await self._unread(), "schema": tenant.schema_name})

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "mark_read":
            ids = content.get("ids")
            await self._mark_read(ids if isinstance(ids, list) else None)

    async def push(self, event):
        await self.send_json(event["message"])

    @database_sync_to_async
    def _unread(self):
        from django_tenants.utils import schema_context

        from apps.notifications.services.notifications import unread_count

        with schema_context(self.scope["tenant"].schema_name):
            return unread_count(self.scope["user"])

    @database_sync_to_async
    def _mark_read(self, ids):
        from django_tenants.utils import schema_context

        from apps.notifications.services.notifications import notifications_mark_read

        with schema_context(self.scope["tenant"].schema_name):
            notifications_mark_read(actor=self.scope["user"], ids=ids)


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
