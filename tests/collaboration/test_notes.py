"""/ws/notes/: the shared note of a record, edited at once by several tabs (Yjs documents, pycrdt on the server).

Each "browser" here is a pycrdt Doc that talks the page's protocol (static/collaboration/src/note-editor.js)
through aitcore.asgi's application with channels' WebsocketCommunicator, on the real Redis layer when
REDIS_URL is set. As in tests/collaboration/test_presence.py the test body drives the sockets with
async_to_sync, so the consumer's database work runs on this thread inside the test's rolled back transaction.
"""
import base64
import copy
import json
import os

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.template.loader import render_to_string
from django_tenants.utils import schema_context
from pycrdt import Doc, Text
from rest_framework_simplejwt.tokens import AccessToken

from apps.audit.models import AuditEvent
from apps.collaboration.models import SharedNote
from apps.collaboration.note_awareness import read_awareness, write_awareness
from apps.collaboration.services.notes import load_note_doc, note_plain_text
from apps.crm.models import Party
from tests.conftest import host_client


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    # database_sync_to_async closes "old" connections around each call: not the test's, inside its transaction.
    monkeypatch.setattr("channels.db.close_old_connections", lambda **kwargs: None)


@pytest.fixture(autouse=True)
def _own_channel_prefix(settings):
    """Other runs share the machine's Redis with the same schema names and pks: this run's own prefix."""
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "prefix" in layers["default"].get("CONFIG", {}):
        layers["default"]["CONFIG"]["prefix"] = f"aitcore-{os.environ.get('AITCORE_TEST_DB', 'test')}-{os.getpid()}-n"
        settings.CHANNEL_LAYERS = layers


def _party(name, manager):
    first, last = name.split(" ", 1)
    return Party.objects.create(display_name=name, first_name=first, last_name=last, account_manager=manager)


@pytest.fixture
def record(users_a):
    return f"crm.party.{_party('Lucía Navarro', users_a['comercial']).pk}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _socket(user, key: str) -> WebsocketCommunicator:
    from aitcore.asgi import application

    path = f"/ws/notes/?key={key}"
    if user is not None:
        token = AccessToken.for_user(user)
        token["tenant"] = "alfa"
        path += f"&token={token}"
    return WebsocketCommunicator(application, path, headers=[(b"host", b"alfa.test")])


async def _next(ws, timeout=3):
    output = await ws.receive_output(timeout)
    if output["type"] == "websocket.close":
        return ("closed", output.get("code"))
    return json.loads(output["text"])


async def _until(ws, kind, timeout=3):
    while True:
        message = await _next(ws, timeout)
        assert isinstance(message, dict), f"closed while waiting for {kind}: {message}"
        if message["type"] == kind:
            return message


class Browser:
    """A tab: its own Yjs document bound to the note's Y.Text "quill", as the page's editor does."""

    def __init__(self, ws):
        self.ws, self.doc = ws, Doc()
        self.text = self.doc.get("quill", type=Text)

    @classmethod
    async def open(cls, user, key):
        tab = cls(_socket(user, key))
        connected, code = await tab.ws.connect()
        assert connected, code
        sync = await _until(tab.ws, "note.sync")
        tab.doc.apply_update(base64.b64decode(sync["update"]))
        tab.me = sync["user"]
        return tab

    def edit(self, change) -> bytes:
        """Applies `change(text)` locally and returns the Yjs update it made."""
        before = self.doc.get_state()
        change(self.text)
        return self.doc.get_update(before)

    async def send(self, update: bytes):
        await self.ws.send_json_to({"type": "note.update", "update": _b64(update)})

    async def until(self, kind):
        """Reads messages until one of type `kind`, applying the colleagues' changes met on the way."""
        while True:
            message = await _next(self.ws)
            assert isinstance(message, dict), f"closed while waiting for {kind}: {message}"
            if message["type"] == "note.update":
                self.doc.apply_update(base64.b64decode(message["update"]))
            if message["type"] == kind:
                return message

    async def until_text(self, *parts):
        while not all(part in str(self) for part in parts):
            await self.until("note.update")

    def __str__(self):
        return str(self.text)


def _run(scenario, tenant):
    """Runs the sockets' scenario; the tenant middleware leaves the (shared) connection in public: back to alfa."""
    try:
        return async_to_sync(scenario)()
    finally:
        connection.set_tenant(tenant)


def _stored(key) -> SharedNote:
    with schema_context("alfa"):
        return SharedNote.objects.get(object_id=int(key.rsplit(".", 1)[1]), content_type__model="party")


def test_concurrent_edits_at_the_same_place_converge_and_are_stored(users_a, record, tenant_a):
    ana, boss = users_a["comercial"], users_a["direccion"]

    async def scenario():
        first = await Browser.open(ana, record)
        await first.send(first.edit(lambda text: text.insert(0, "Cliente: \n")))
        assert (await first.until("note.saved"))["updated_at"]
        second = await Browser.open(boss, record)
        assert str(second) == "Cliente: \n"
        # Both type at the same place before either hears of the other's change.
        mine = first.edit(lambda text: text.insert(9, "llamar el lunes"))
        theirs = second.edit(lambda text: text.insert(9, "renovar hogar"))
        await first.send(mine)
        await second.send(theirs)
        await first.until("note.saved")
        await second.until("note.saved")
        await first.until_text("llamar el lunes", "renovar hogar")
        await second.until_text("llamar el lunes", "renovar hogar")
        assert str(first) == str(second)
        assert "llamar el lunes" in str(first) and "renovar hogar" in str(first)
        # A third tab opening later gets the merged document in its first message.
        third = await Browser.open(ana, record)
        assert str(third) == str(first)
        for tab in (first, second, third):
            await tab.ws.disconnect()
        return str(first)

    merged = _run(scenario, tenant_a)
    note = _stored(record)
    assert note_plain_text(load_note_doc(note.state)) == merged.rstrip() == note.text  # the same after a reload
    assert note.updates == 3 and note.updated_by in (ana, boss)
    # One audit event per editing session (socket), not per change: ana's first socket and boss's.
    events = AuditEvent.objects.filter(verb="collab_note_edit", object_id=str(note.pk))
    assert sorted(event.actor_id for event in events) == sorted([ana.pk, boss.pk])


def test_garbage_is_refused_and_nothing_is_saved(users_a, record, tenant_a):
    ana, boss = users_a["comercial"], users_a["direccion"]

    async def scenario():
        writer = await Browser.open(ana, record)
        reader = await Browser.open(boss, record)
        await writer.send(writer.edit(lambda text: text.insert(0, "Póliza 1234\n")))
        await writer.until("note.saved")
        await reader.until_text("Póliza 1234")
        state = bytes((await sync_to_async(_stored)(record)).state)
        for garbage in (b"garbage!", b"\x01\x02\x03", b"\x00"):
            await writer.send(garbage)
            error = await _until(writer.ws, "error")
            assert error["code"] == "collab_note_invalid_update" and error["message"]
        note = await sync_to_async(_stored)(record)
        assert bytes(note.state) == state and note.updates == 1 and note.text == "Póliza 1234"
        assert await reader.ws.receive_nothing(timeout=0.3)  # nothing relayed
        await writer.ws.send_json_to({"type": "ping"})  # the socket stays usable
        assert await _until(writer.ws, "pong") == {"type": "pong"}
        await writer.ws.send_json_to({"type": "note.update", "update": "%%% not base64"})
        assert (await _until(writer.ws, "error"))["code"] == "collab_note_bad_base64"
        assert await _next(writer.ws) == ("closed", 4400)
        await reader.ws.disconnect()

    _run(scenario, tenant_a)


def test_who_cannot_view_the_record_is_refused(users_a, tenant_a):
    ana, boss = users_a["comercial"], users_a["direccion"]
    theirs = f"crm.party.{_party('Jorge Vidal', boss).pk}"  # a Comercial sees only the clients it manages

    async def scenario():
        assert await _socket(ana, theirs).connect() == (False, 4403)
        assert await _socket(users_a["rrhh"], theirs).connect() == (False, 4403)
        assert await _socket(boss, "crm.party.999999999").connect() == (False, 4403)
        assert await _socket(None, theirs).connect() == (False, 4401)

    _run(scenario, tenant_a)
    assert not SharedNote.objects.filter(object_id=int(theirs.rsplit(".", 1)[1])).exists()


def test_cursors_are_relayed_with_the_server_s_name_and_removed_on_leave(users_a, record, tenant_a):
    ana, boss = users_a["comercial"], users_a["direccion"]

    async def scenario():
        first = await Browser.open(ana, record)
        second = await Browser.open(boss, record)
        assert await _until(first.ws, "note.joined") == {"type": "note.joined"}
        cursor = {"anchor": {"type": None, "tname": "quill", "item": None, "assoc": 0}, "head": None}
        spoofed = write_awareness(42, 3, {"user": {"name": "Otra persona", "color": "#000"}, "cursor": cursor,
                                          "extra": "x" * 50})
        await first.ws.send_json_to({"type": "note.awareness", "update": _b64(spoofed)})
        client, clock, state = read_awareness(base64.b64decode((await _until(second.ws, "note.awareness"))["update"]))
        assert (client, clock) == (42, 3) and state["cursor"] == cursor and "extra" not in state
        assert state["user"] == {"id": ana.pk, "name": first.me["name"], "color": first.me["color"]}
        await first.ws.send_json_to({"type": "note.awareness", "update": _b64(b"\x02\x01")})
        assert (await _until(first.ws, "error"))["code"] == "collab_note_bad_awareness"
        removed = read_awareness(base64.b64decode((await _until(second.ws, "note.awareness"))["update"]))
        assert removed == (42, 4, None)  # the closed tab's cursor goes at once
        assert await _next(first.ws) == ("closed", 4400)
        await first.ws.disconnect()
        await second.ws.disconnect()

    _run(scenario, tenant_a)
    assert not SharedNote.objects.exists()  # cursors are never stored


@pytest.mark.parametrize("message, close, error", [
    ({"type": "note.delete"}, 4400, "collab_unknown_type"),
    ([1, 2], 4400, "collab_malformed"),
    ({"type": "note.update", "update": _b64(b"x" * (256 * 1024 + 1))}, 1009, "collab_note_update_too_large"),
    ({"type": "note.awareness", "update": _b64(b"x" * (16 * 1024 + 1))}, 1009, "collab_note_awareness_too_large"),
])
def test_bad_messages_close_the_socket(users_a, record, message, close, error, tenant_a):
    async def scenario():
        tab = await Browser.open(users_a["comercial"], record)
        await tab.ws.send_json_to(message)
        assert (await _until(tab.ws, "error"))["code"] == error
        assert await _next(tab.ws) == ("closed", close)

    _run(scenario, tenant_a)


def test_a_flood_closes_the_socket(users_a, record, tenant_a):
    async def scenario():
        tab = await Browser.open(users_a["comercial"], record)
        for _ in range(100):
            await tab.ws.send_json_to({"type": "ping"})
        assert (await _until(tab.ws, "error"))["code"] == "collab_rate_limited"
        assert await _next(tab.ws) == ("closed", 4429)

    _run(scenario, tenant_a)


def test_api_and_card_show_the_plain_text(users_a, record, tenants, tenant_a):
    from apps.collaboration.services.notes import note_apply_update

    ana = users_a["comercial"]
    doc = Doc()
    doc.get("quill", type=Text).insert(0, "Revisar la póliza de hogar\n")
    note_apply_update(actor=ana, key=record, update=doc.get_update())
    response = host_client(tenants.alfa_host, ana).get("/api/v1/collaboration/notes/", {"key": record})
    assert response.status_code == 200, response.content
    [body] = response.json()
    assert body["text"] == "Revisar la póliza de hogar" and body["updates"] == 1
    assert body["updated_by"]["id"] == ana.pk and body["updated_at"]
    other = f"crm.party.{_party('Jorge Vidal', users_a['direccion']).pk}"
    assert host_client(tenants.alfa_host, ana).get("/api/v1/collaboration/notes/", {"key": other}).status_code == 404
    empty = host_client(tenants.alfa_host, users_a["direccion"]).get("/api/v1/collaboration/notes/", {"key": other})
    assert empty.status_code == 200 and empty.json() == [{"key": other, "text": "", "updates": 0, "updated_at": None,
                                                          "updated_by": None}]
    mine = host_client(tenants.alfa_host, ana).get("/api/v1/collaboration/notes/").json()
    assert [row["key"] for row in mine] == [record]  # without key: the notes ana changed, still readable

    class Request:
        user = ana
    html = render_to_string("collaboration/_note.html", {"record_key": record, "request": Request(), "user": ana})
    assert "Nota compartida" in html and "Revisar la póliza de hogar" in html
    assert "vendor/collab/note-editor.js" in html and 'data-record-key="%s"' % record in html
