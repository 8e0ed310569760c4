"""/ws/collab/: presence by gossip on a record's collaboration group, and the socket's limits.

The sockets run through aitcore.asgi's application (tenant by Host, user by JWT) with channels'
WebsocketCommunicator, on the real Redis layer when REDIS_URL is set. The test body is synchronous and
drives the sockets with async_to_sync, so the consumer's permission check runs on this thread, inside
the test's rolled back transaction (as tests/crm/test_live_360.py does).
"""
import copy
import json
import os

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.template.loader import render_to_string
from django_tenants.utils import schema_context
from rest_framework_simplejwt.tokens import AccessToken

from apps.collaboration.presence import TokenBucket, avatar_colour
from apps.collaboration.realtime import broadcast, collab_group
from apps.crm.models import Party


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    # database_sync_to_async closes "old" connections around each call; the test's connection is
    # inside its transaction (autocommit off), which that check would drop.
    monkeypatch.setattr("channels.db.close_old_connections", lambda **kwargs: None)


@pytest.fixture(autouse=True)
def _own_channel_prefix(settings):
    """Other test runs share the machine's Redis and the same schema names and party pks: a prefix of
    this run's own keeps their presence out of these sockets."""
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "prefix" in layers["default"].get("CONFIG", {}):
        layers["default"]["CONFIG"]["prefix"] = f"aitcore-{os.environ.get('AITCORE_TEST_DB', 'test')}-{os.getpid()}"
        settings.CHANNEL_LAYERS = layers  # channels resets its layers on setting_changed


def _socket(user, key: str, host: str = "alfa.test", schema: str = "alfa") -> WebsocketCommunicator:
    from aitcore.asgi import application

    path = f"/ws/collab/?key={key}"
    if user is not None:
        token = AccessToken.for_user(user)
        token["tenant"] = schema
        path += f"&token={token}"
    return WebsocketCommunicator(application, path, headers=[(b"host", host.encode())])


def _party(name, manager, **extra):
    first, last = name.split(" ", 1)
    return Party.objects.create(display_name=name, first_name=first, last_name=last, account_manager=manager, **extra)


async def _next(ws, timeout=3):
    """The next JSON message, or ("closed", code)."""
    output = await ws.receive_output(timeout)
    if output["type"] == "websocket.close":
        return ("closed", output.get("code"))
    return json.loads(output["text"])


async def _until(ws, kind, user_id=None, timeout=3):
    """Reads messages until one of type `kind` (about `user_id`, if given); returns it."""
    while True:
        message = await _next(ws, timeout)
        assert isinstance(message, dict), f"closed while waiting for {kind}: {message}"
        if message["type"] == kind and (user_id is None or message["user"]["id"] == user_id):
            return message


async def _open(user, key, **kwargs):
    ws = _socket(user, key, **kwargs)
    connected, code = await ws.connect()
    assert connected, code
    hello = await _next(ws)
    assert hello["type"] == "presence.hello" and hello["user"]["id"] == user.pk and hello["key"] == key
    await _until(ws, "presence.join", user.pk)  # its own announcement comes back through the group
    return ws, hello["user"]


async def _refused_with(ws, code, error):
    message = await _until(ws, "error")
    assert message["code"] == error and message["close"] == code
    while (closed := await _next(ws)) != ("closed", code):
        assert isinstance(closed, dict), closed
    await ws.disconnect()


@pytest.fixture
def record(users_a):
    party = _party("Lucía Navarro", users_a["comercial"])
    return f"crm.party.{party.pk}"


def test_two_users_see_each_other_change_mode_and_leave(users_a, record):
    ana, boss = users_a["comercial"], users_a["direccion"]

    async def scenario():
        first, ana_card = await _open(ana, record)
        second, boss_card = await _open(boss, record)
        joined = await _until(first, "presence.join", boss.pk)  # the newcomer announces itself...
        here = await _until(second, "presence.here", ana.pk)    # ...and who was there answers it
        assert joined["user"] == boss_card and here["user"] == ana_card
        assert set(ana_card) == {"id", "name", "initials", "colour", "tab", "mode"} and ana_card["mode"] == "viewing"
        assert ana_card["initials"] == ana.initials and ana_card["colour"] == avatar_colour(ana.pk)

        await first.send_json_to({"type": "presence.mode", "mode": "editing"})
        changed = await _until(second, "presence.mode", ana.pk)
        assert changed["user"]["mode"] == "editing" and changed["user"]["tab"] == ana_card["tab"]

        # The same user in a second tab: another card with the same id (the page shows one avatar).
        third, other_tab = await _open(ana, record)
        assert other_tab["id"] == ana.pk and other_tab["tab"] != ana_card["tab"]
        assert (await _until(second, "presence.join", ana.pk))["user"]["tab"] == other_tab["tab"]
        await third.disconnect()

        await second.disconnect()
        left = await _until(first, "presence.leave", boss.pk)
        assert left["user"]["tab"] == boss_card["tab"]
        await first.disconnect()

    async_to_sync(scenario)()


def test_heartbeats_and_collab_events_reach_the_members(users_a, record, settings):
    settings.COLLAB_HEARTBEAT_SECONDS = 0.2
    ana, boss = users_a["comercial"], users_a["direccion"]

    async def scenario():
        first, _card = await _open(ana, record)
        second, boss_card = await _open(boss, record)
        beat = await _until(first, "presence.heartbeat", boss.pk)
        assert beat["user"] == boss_card
        await sync_to_async(broadcast)(record, {"type": "comment.created", "id": 7}, schema="alfa")
        assert await _until(first, "comment.created") == {"type": "comment.created", "id": 7}
        assert await _until(second, "comment.created") == {"type": "comment.created", "id": 7}
        await first.send_json_to({"type": "ping"})
        assert await _until(first, "pong") == {"type": "pong"}
        await first.disconnect()
        await second.disconnect()

    async_to_sync(scenario)()


def test_who_cannot_view_the_record_is_refused_and_never_joins(users_a):
    ana, boss, hr = users_a["comercial"], users_a["direccion"], users_a["rrhh"]
    theirs = f"crm.party.{_party('Jorge Vidal', boss).pk}"  # a Comercial sees only the clients it manages

    async def scenario():
        watcher, _card = await _open(boss, theirs)
        assert await _socket(ana, theirs).connect() == (False, 4403)
        assert await _socket(hr, theirs).connect() == (False, 4403)  # no CRM permission at all
        for key in ("crm.party.999999999", "crm.nothing.1", "crm.party.1;drop", ""):
            assert await _socket(boss, key).connect() == (False, 4403), key
        assert await _socket(None, theirs).connect() == (False, 4401)  # not logged in
        assert await watcher.receive_nothing(timeout=0.3)  # nobody joined, nobody was answered
        await watcher.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize("frame, close, error", [
    ({"text_data": json.dumps({"type": "ping", "pad": "x" * (16 * 1024)})}, 1009, "collab_frame_too_large"),
    ({"text_data": json.dumps({"type": "comment.delete", "id": 1})}, 4400, "collab_unknown_type"),
    ({"text_data": json.dumps({"type": "presence.mode", "mode": "admin"})}, 4400, "collab_bad_mode"),
    ({"text_data": "{not json"}, 4400, "collab_malformed"),
    ({"text_data": "[1, 2]"}, 4400, "collab_malformed"),
    ({"bytes_data": b"\x00\x01"}, 4400, "collab_text_only"),
])
def test_bad_frames_close_the_socket_with_a_clear_code(users_a, record, frame, close, error):
    ana, boss = users_a["comercial"], users_a["direccion"]

    async def scenario():
        bad, bad_card = await _open(ana, record)
        good, _card = await _open(boss, record)
        await bad.send_to(**frame)
        await _refused_with(bad, close, error)
        assert (await _until(good, "presence.leave", ana.pk))["user"]["tab"] == bad_card["tab"]
        await good.disconnect()

    async_to_sync(scenario)()


def test_a_flood_closes_only_the_flooding_socket(users_a, record):
    ana, boss = users_a["comercial"], users_a["direccion"]

    async def scenario():
        flooder, _card = await _open(ana, record)
        other, _card = await _open(boss, record)
        for _ in range(100):
            await flooder.send_json_to({"type": "ping"})
        pongs = 0
        while (message := await _next(flooder)) != ("closed", 4429):
            assert isinstance(message, dict), message
            pongs += message["type"] == "pong"
            if message["type"] == "error":
                assert message["code"] == "collab_rate_limited"
        assert 30 <= pongs < 100  # the burst (plus what refilled meanwhile), then the close
        await flooder.disconnect()
        await _until(other, "presence.leave", ana.pk)
        await other.send_json_to({"type": "ping"})
        assert await _until(other, "pong") == {"type": "pong"}
        await other.disconnect()

    async_to_sync(scenario)()


def test_two_brokerages_with_the_same_key_never_hear_each_other(users_a, record):
    from apps.identity.models import User

    alfa_admin = users_a["admin"]
    pk = int(record.rsplit(".", 1)[1])
    with schema_context("beta"):
        beta_admin = User.objects.get(email="admin@beta.test")
        _party("Beatriz Soler", beta_admin, pk=pk)
    assert collab_group(record, "alfa") != collab_group(record, "beta")

    async def scenario():
        in_alfa, _card = await _open(alfa_admin, record)
        in_beta, _card = await _open(beta_admin, record, host="beta.test", schema="beta")
        await sync_to_async(broadcast)(record, {"type": "comment.created", "id": 1}, schema="alfa")
        assert await _until(in_alfa, "comment.created") == {"type": "comment.created", "id": 1}
        await in_alfa.send_json_to({"type": "presence.mode", "mode": "editing"})
        await _until(in_alfa, "presence.mode", alfa_admin.pk)
        assert await in_beta.receive_nothing(timeout=0.5)  # no join, no here, no mode, no event
        await in_alfa.disconnect()
        assert await in_beta.receive_nothing(timeout=0.3)  # nor the leave
        await in_beta.disconnect()

    async_to_sync(scenario)()


def test_token_bucket_allows_the_burst_then_the_rate():
    now = [0.0]
    bucket = TokenBucket(rate=10, burst=30, clock=lambda: now[0])
    assert all(bucket.take() for _ in range(30)) and not bucket.take()
    now[0] += 0.5  # five refilled
    assert sum(bucket.take() for _ in range(10)) == 5


def test_presence_include_loads_its_script_without_inline_code():
    html = render_to_string("collaboration/_presence.html", {"record_key": "crm.party.12"})
    assert 'id="collab-presence"' in html and 'data-record-key="crm.party.12"' in html
    assert 'src="/static/collaboration/collab.js" defer' in html and "<script>" not in html
    assert "personas en esta ficha" in html and "viendo" in html and "editando" in html
