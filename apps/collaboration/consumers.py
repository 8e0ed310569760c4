"""/ws/collab/?key=crm.party.12: the collaboration socket of a record page.

Refusals: 4401 not logged in (or no brokerage), 4403 the user may not view the record (the rule its
app registered, apps.collaboration.records.can_collaborate). An accepted socket joins the record's
collaboration group (apps.collaboration.realtime.collab_group, carries the schema) and:

- forwards every "collab.event" of the group (apps.collaboration.realtime.broadcast) as its message;
- keeps presence by gossip, no shared store: on join it announces itself (presence.join); every socket
  already there answers the joiner directly (presence.here); on leaving it says so (presence.leave);
  each socket repeats itself every COLLAB_HEARTBEAT_SECONDS (presence.heartbeat), so a page drops a
  member silent for COLLAB_SILENCE_SECONDS (a crashed server or tab that never said goodbye).

Messages out: {"type": "presence.hello", "user": <own card>, "heartbeat": s, "silence": s} first, then
{"type": "presence.join|here|leave|mode|heartbeat", "user": card}, {"type": "pong"}, the collab events,
and {"type": "error", "code": ..., "message": ...} just before a refusal close. A card is
{id, name, initials, colour, tab, mode}; one user with two tabs has two cards with the same id.
Messages in (text frames, JSON objects): {"type": "ping"}, {"type": "presence.mode", "mode":
"viewing"|"editing"}. Anything else closes the socket: binary, malformed or unknown 4400, over
COLLAB_MAX_FRAME_BYTES 1009, faster than the token bucket allows 4429. Only that socket is affected.
No database connection is held: the one check runs in database_sync_to_async + schema_context.
"""
import asyncio
import json
import logging
import random
import secrets

from channels.exceptions import ChannelFull
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils.translation import gettext as _

from apps.collaboration.presence import MODES, TokenBucket, heartbeat_scale, member_card, socket_limits
from apps.collaboration.realtime import collab_group
from apps.collaboration.sockets import admitted_key

logger = logging.getLogger(__name__)

CLOSE_BAD_MESSAGE, CLOSE_TOO_BIG, CLOSE_FLOOD = 4400, 1009, 4429


class CollaborationConsumer(AsyncWebsocketConsumer):
    group = None
    heartbeat_task = None
    closing = False

    async def connect(self):
        key = await admitted_key(self)
        if key is None:
            return
        tenant = self.scope["tenant"]
        self.key, self.mode, self.tab = key, "viewing", secrets.token_urlsafe(8)
        self.members = set()  # the other tabs heard on this record: they set the heartbeat period
        self.limits = socket_limits()
        self.bucket = TokenBucket(self.limits.rate_per_second, self.limits.burst)
        self.group = collab_group(key, tenant.schema_name)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_json({"type": "presence.hello", "key": key, "user": self._card(),
                               "heartbeat": self.limits.heartbeat_seconds, "silence": self.limits.silence_seconds})
        await self._announce("presence.join")
        self.heartbeat_task = asyncio.create_task(self._beat())

    async def disconnect(self, code):
        await self._leave()

    # --- from the browser ---------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.closing or self.group is None:
            return
        if text_data is None:
            return await self._refuse(CLOSE_BAD_MESSAGE, "collab_text_only", _("Solo se aceptan mensajes de texto."))
        if len(text_data) > self.limits.max_frame_bytes or len(text_data.encode()) > self.limits.max_frame_bytes:
            return await self._refuse(CLOSE_TOO_BIG, "collab_frame_too_large", _("Mensaje demasiado grande."))
        if not self.bucket.take():
            return await self._refuse(CLOSE_FLOOD, "collab_rate_limited", _("Demasiados mensajes por segundo."))
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            content = None
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self._send_json({"type": "pong"})
        elif kind == "presence.mode" and content.get("mode") in MODES:
            if content["mode"] != self.mode:
                self.mode = content["mode"]
                await self._announce("presence.mode")
        elif kind == "presence.mode":
            await self._refuse(CLOSE_BAD_MESSAGE, "collab_bad_mode", _("Modo desconocido."))
        elif content is None or not isinstance(content, dict):
            await self._refuse(CLOSE_BAD_MESSAGE, "collab_malformed", _("Se esperaba un objeto JSON."))
        else:
            await self._refuse(CLOSE_BAD_MESSAGE, "collab_unknown_type", _("Tipo de mensaje desconocido."))

    # --- from the group -----------------------------------------------------------------------

    async def presence_join(self, event):
        if event["channel"] != self.channel_name and self.group is not None:
            try:  # straight to the joiner: it learns who was already here
                await self.channel_layer.send(event["channel"], {"type": "presence.here", "user": self._card(),
                                                                 "channel": self.channel_name})
            except ChannelFull:
                pass  # the joiner's queue is full: it learns of this socket from its next heartbeat
        await self._forward(event)

    async def presence_here(self, event):
        await self._forward(event)

    async def presence_leave(self, event):
        getattr(self, "members", set()).discard(event["user"].get("tab"))
        await self._forward(event)

    async def presence_mode(self, event):
        await self._forward(event)

    async def presence_heartbeat(self, event):
        await self._forward(event)

    async def collab_event(self, event):
        await self._send_json(event["message"])

    # --- internals ----------------------------------------------------------------------------

    def _card(self) -> dict:
        return member_card(self.scope["user"], tab=self.tab, mode=self.mode)

    async def _announce(self, kind: str):
        if self.group is not None:
            await self.channel_layer.group_send(self.group, {"type": kind, "user": self._card(),
                                                             "channel": self.channel_name})

    async def _forward(self, event):
        if event["type"] != "presence.leave" and event.get("channel") != self.channel_name:
            getattr(self, "members", set()).add(event["user"].get("tab"))
        await self._send_json({"type": event["type"], "user": event["user"]})

    async def _send_json(self, message: dict):
        if not self.closing:
            await self.send(text_data=json.dumps(message))

    async def _beat(self):
        # A random first wait: sockets opened together (a server restart) do not beat together.
        await asyncio.sleep(random.uniform(0.5, 1.0) * self.limits.heartbeat_seconds)
        while True:
            try:
                await self._announce("presence.heartbeat")
            except Exception:  # the layer is down for a moment: the next beat tries again
                logger.warning("collaboration heartbeat failed on %s", self.group, exc_info=True)
            await asyncio.sleep(self.limits.heartbeat_seconds * heartbeat_scale(len(self.members) + 1))

    async def _leave(self):
        """Leaves the group once (a refusal close, then the disconnect, both call it)."""
        group, self.group = self.group, None
        if group is None:
            return
        if self.heartbeat_task is not None:
            self.heartbeat_task.cancel()
        await self.channel_layer.group_discard(group, self.channel_name)
        await self.channel_layer.group_send(group, {"type": "presence.leave", "user": self._card(),
                                                    "channel": self.channel_name})

    async def _refuse(self, code: int, error: str, message: str):
        await self._send_json({"type": "error", "code": error, "message": message, "close": code})
        self.closing = True
        await self._leave()
        await self.close(code=code)
