"""/ws/notes/?key=crm.party.12: the shared note of a record, edited by several people at once (Yjs).

Refusals: 4401 not logged in (or no brokerage), 4403 the user may not view the record. An accepted socket
joins the note group of the record (note_group: its collaboration group + ".note", carries the schema) and
gets the stored document first: {"type": "note.sync", "key", "update": base64 Yjs update, "user": own card}.

Messages in (text frames, JSON objects; base64 payloads):
- {"type": "note.update", "update": b64}: a Yjs update (at most MAX_UPDATE_BYTES). Merged into the stored
  note (apps.collaboration.services.notes.note_apply_update: row lock, merged state and plain text saved),
  then relayed as {"type": "note.update", "update"} to the other sockets of the note; the sender gets
  {"type": "note.saved", "updated_at"}. Not a Yjs update: {"type": "error", "code":
  "collab_note_invalid_update", "message"} and nothing saved (the socket stays open). The first saved
  update of a socket writes the one audit event of that editing session.
- {"type": "note.awareness", "update": b64}: the tab's cursor (y-protocols awareness, one client, at most
  MAX_AWARENESS_BYTES), relayed with the user's name and colour set by the server; never stored. When a
  socket leaves, the others get its removal. A newcomer is announced as {"type": "note.joined"} so the
  others send their cursor to it.
- {"type": "ping"} -> {"type": "pong"}.
Anything else closes the socket with 4400 (binary, malformed JSON, bad base64, unknown type, a bad
awareness update), 1009 (over the frame or payload limit), 4429 (faster than the token bucket allows),
4403 (access to the record lost meanwhile). No database connection is held between events.
"""
import base64
import binascii
import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext as _

from apps.collaboration.errors import CollaborationError
from apps.collaboration.note_awareness import MAX_AWARENESS_BYTES, AwarenessError, vouched_awareness, write_awareness
from apps.collaboration.presence import TokenBucket, member_card
from apps.collaboration.realtime import collab_group
from apps.collaboration.services.notes import MAX_UPDATE_BYTES
from apps.collaboration.sockets import CLOSE_FORBIDDEN, admitted_key

CLOSE_BAD_MESSAGE, CLOSE_TOO_BIG, CLOSE_FLOOD = 4400, 1009, 4429
EMPTY_UPDATE = b"\x00\x00"  # a Yjs update with nothing in it
MAX_FRAME_CHARS = (MAX_UPDATE_BYTES + 2) // 3 * 4 + 1024  # base64 of the largest update, plus the JSON around


def note_group(key: str, schema: str | None = None) -> str:
    return f"{collab_group(key, schema)}.note"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class NoteConsumer(AsyncWebsocketConsumer):
    group = None
    closing = False

    async def connect(self):
        key = await admitted_key(self)
        if key is None:
            return
        user, tenant = self.scope["user"], self.scope["tenant"]
        self.key, self.edited, self.awareness = key, False, None  # awareness: (clientID, clock) of this tab
        self.card = member_card(user, tab="note", mode="editing")
        self.bucket = TokenBucket(float(getattr(settings, "COLLAB_NOTE_RATE_PER_SECOND", 20)),
                                  int(getattr(settings, "COLLAB_NOTE_RATE_BURST", 60)))
        self.group = note_group(key, tenant.schema_name)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # Read after joining: an update merged meanwhile is in the state or arrives next (Yjs drops duplicates).
        state = await self._state(key)
        if state is None:  # access lost in between
            return await self._refuse(CLOSE_FORBIDDEN, "collab_record_unknown", _("No tiene acceso a este registro."))
        await self._send_json({"type": "note.sync", "key": key, "update": _b64(state or EMPTY_UPDATE),
                               "user": {"id": user.pk, "name": self.card["name"], "color": self.card["colour"]}})
        await self._to_group("note.joined")

    async def disconnect(self, code):
        await self._leave()

    # --- from the browser ---------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.closing or self.group is None:
            return
        if text_data is None:
            return await self._refuse(CLOSE_BAD_MESSAGE, "collab_text_only", _("Solo se aceptan mensajes de texto."))
        if len(text_data) > MAX_FRAME_CHARS:
            return await self._refuse(CLOSE_TOO_BIG, "collab_frame_too_large", _("Mensaje demasiado grande."))
        if not self.bucket.take():
            return await self._refuse(CLOSE_FLOOD, "collab_rate_limited", _("Demasiados mensajes por segundo."))
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            content = None
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            return await self._send_json({"type": "pong"})
        if not isinstance(content, dict):
            return await self._refuse(CLOSE_BAD_MESSAGE, "collab_malformed", _("Se esperaba un objeto JSON."))
        if kind not in ("note.update", "note.awareness"):
            return await self._refuse(CLOSE_BAD_MESSAGE, "collab_unknown_type", _("Tipo de mensaje desconocido."))
        try:
            payload = base64.b64decode(content.get("update"), validate=True)
        except (TypeError, ValueError, binascii.Error):
            return await self._refuse(CLOSE_BAD_MESSAGE, "collab_note_bad_base64",
                                      _("El cambio debe ir en base64."))
        if kind == "note.update":
            await self._update(payload)
        else:
            await self._awareness(payload)

    async def _update(self, update: bytes):
        if len(update) > MAX_UPDATE_BYTES:
            message = _("El cambio ocupa más de %d KB.") % (MAX_UPDATE_BYTES // 1024)
            return await self._refuse(CLOSE_TOO_BIG, "collab_note_update_too_large", message)
        try:
            saved, updated_at = await self._apply(update)
        except CollaborationError as exc:
            if exc.status == 404:
                return await self._refuse(CLOSE_FORBIDDEN, exc.code, exc.message)
            return await self._send_json({"type": "error", "code": exc.code, "message": exc.message})
        if saved:  # a duplicate changed nothing: nobody needs it
            await self._to_group("note.update", update=_b64(update))
        await self._send_json({"type": "note.saved", "updated_at": updated_at})

    async def _awareness(self, data: bytes):
        if len(data) > MAX_AWARENESS_BYTES:
            return await self._refuse(CLOSE_TOO_BIG, "collab_note_awareness_too_large",
                                      _("El estado del cursor es demasiado grande."))
        try:
            client, clock, vouched = vouched_awareness(data, self.card)
        except AwarenessError:
            return await self._refuse(CLOSE_BAD_MESSAGE, "collab_note_bad_awareness",
                                      _("El estado del cursor no es válido."))
        self.awareness = (client, clock)
        await self._to_group("note.awareness", update=_b64(vouched))

    # --- from the group -----------------------------------------------------------------------

    async def note_update(self, event):
        await self._forward(event, {"type": "note.update", "update": event["update"]})

    async def note_awareness(self, event):
        await self._forward(event, {"type": "note.awareness", "update": event["update"]})

    async def note_joined(self, event):
        await self._forward(event, {"type": "note.joined"})

    # --- internals ----------------------------------------------------------------------------

    async def _forward(self, event, message: dict):
        if event.get("channel") != self.channel_name:
            await self._send_json(message)

    async def _to_group(self, kind: str, **fields):
        if self.group is not None:
            await self.channel_layer.group_send(self.group, {"type": kind, "channel": self.channel_name, **fields})

    async def _send_json(self, message: dict):
        if not self.closing:
            await self.send(text_data=json.dumps(message))

    async def _leave(self):
        """Leaves the group once; the others drop this tab's cursor."""
        group, self.group = self.group, None
        if group is None:
            return
        await self.channel_layer.group_discard(group, self.channel_name)
        if self.awareness is not None:
            client, clock = self.awareness
            await self.channel_layer.group_send(group, {"type": "note.awareness", "channel": self.channel_name,
                                                        "update": _b64(write_awareness(client, clock + 1, None))})

    async def _refuse(self, code: int, error: str, message: str):
        await self._send_json({"type": "error", "code": error, "message": message, "close": code})
        self.closing = True
        await self._leave()
        await self.close(code=code)

    @database_sync_to_async
    def _state(self, key: str) -> bytes | None:
        """The note's stored state, or None when the user may not view record `key`."""
        from django_tenants.utils import schema_context

        from apps.collaboration.selectors_notes import note_state

        with schema_context(self.scope["tenant"].schema_name):
            try:
                return note_state(self.scope["user"], key)
            except CollaborationError:
                return None

    @database_sync_to_async
    def _apply(self, update: bytes) -> tuple[bool, str]:
        from django_tenants.utils import schema_context

        from apps.collaboration.services.notes import note_merge_update

        with schema_context(self.scope["tenant"].schema_name):
            merge = note_merge_update(actor=self.scope["user"], key=self.key, update=update, audit=not self.edited)
        self.edited = self.edited or merge.saved
        return merge.saved, merge.updated_at.isoformat() if merge.updated_at else ""
