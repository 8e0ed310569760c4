from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.notifications.realtime import user_group


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
