"""/ws/notifications/ over a real websocket connection to a real ASGI server (uvicorn)."""
import pytest
from rest_framework_simplejwt.tokens import AccessToken

from tests.fixtures.live import WsClient

pytestmark = pytest.mark.live
PATH = "/ws/notifications/"


def _token(user, schema):
    token = AccessToken.for_user(user)
    token["tenant"] = schema
    return str(token)


def test_socket_without_auth_is_refused(live_port, tenants, tenant_a):
    with WsClient(live_port, tenants.alfa_host, PATH) as ws:
        assert ws.status == 403


def test_socket_for_unknown_host_is_refused(live_port, tenants, tenant_a):
    with WsClient(live_port, "nadie.test", PATH) as ws:
        assert ws.status == 403


def test_token_of_alfa_is_refused_on_beta_host(live_port, tenants, admin_a):
    with WsClient(live_port, tenants.beta_host, f"{PATH}?token={_token(admin_a, 'alfa')}") as ws:
        assert ws.status == 403


@pytest.fixture(scope="module")
def alfa_session_cookie(tenants, django_db_blocker):
    """A committed login session of alfa's admin (the live server reads it from another thread)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_tenants.utils import schema_context

    from apps.identity.models import User

    with django_db_blocker.unblock(), schema_context("alfa"):
        user = User.objects.get(email=tenants.emails["admin"])
        session = SessionStore()
        session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                        HASH_SESSION_KEY: user.get_session_auth_hash()})
        session.create()
        yield {"Cookie": f"sessionid={session.session_key}"}
        session.delete()


def test_session_works_on_its_host_and_is_refused_on_another(live_port, tenants, alfa_session_cookie):
    with WsClient(live_port, tenants.alfa_host, PATH, alfa_session_cookie) as ws:
        assert ws.status == 101 and ws.next()["schema"] == "alfa"
    with WsClient(live_port, tenants.beta_host, PATH, alfa_session_cookie) as ws:
        assert ws.status == 403


def test_user_receives_own_notifications_live(live_port, tenants, admin_a, django_capture_on_commit_callbacks):
    from apps.notifications.services.notifications import notification_send

    with WsClient(live_port, tenants.alfa_host, f"{PATH}?token={_token(admin_a, 'alfa')}") as ws:
        assert ws.status == 101
        hello = ws.next()
        assert hello["type"] == "hello" and hello["schema"] == "alfa"
        with django_capture_on_commit_callbacks(execute=True):
            notification_send(recipient=admin_a, title="Recibo devuelto", body="Póliza 1234")
        pushed = ws.next()
        assert pushed["type"] == "notification" and pushed["notification"]["title"] == "Recibo devuelto"
        assert pushed["unread"] >= 1


# --- Reconnecting resumes what was missed (issue 9 item 5) ------------------------------------------------
# In-process sockets (channels' WebsocketCommunicator through aitcore.asgi) driven with async_to_sync, so the
# consumer reads the test's own rolled back transaction on this thread (as tests/collaboration/test_presence.py).

def _in_process_sockets(settings, monkeypatch):
    import copy
    import os

    # database_sync_to_async closes "old" connections around each call; the test's connection is in its transaction.
    monkeypatch.setattr("channels.db.close_old_connections", lambda **kwargs: None)
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "prefix" in layers["default"].get("CONFIG", {}):  # this run's own Redis keys: other runs push to the same pks
        layers["default"]["CONFIG"]["prefix"] = f"aitcore-{os.environ.get('AITCORE_TEST_DB', 'test')}-{os.getpid()}"
        settings.CHANNEL_LAYERS = layers


def _communicator(user, since=None, schema="alfa", host="alfa.test"):
    from channels.testing import WebsocketCommunicator

    from aitcore.asgi import application

    path = f"{PATH}?token={_token(user, schema)}" + ("" if since is None else f"&since={since}")
    return WebsocketCommunicator(application, path, headers=[(b"host", host.encode())])


async def _json(ws, timeout=3):
    import json

    output = await ws.receive_output(timeout)
    return ("closed", output.get("code")) if output["type"] == "websocket.close" else json.loads(output["text"])


def test_reconnect_resumes_the_notifications_missed_in_order(users_a, settings, monkeypatch):
    from asgiref.sync import async_to_sync, sync_to_async

    from apps.notifications.services.notifications import notification_send, unread_count

    _in_process_sockets(settings, monkeypatch)
    ana, boss = users_a["comercial"], users_a["direccion"]
    older = [notification_send(recipient=ana, title=f"Antes {n}") for n in (1, 2)]

    def while_away():
        from django_tenants.utils import schema_context

        with schema_context("alfa"):
            return _while_away()

    def _while_away():
        missed = [notification_send(recipient=ana, title=f"Mientras {n}", kind="mention") for n in (1, 2, 3)]
        notification_send(recipient=boss, title="Para Dirección", kind="mention")
        return [n.pk for n in missed], unread_count(ana)

    async def scenario():
        ws = _communicator(ana)
        assert (await ws.connect())[0]
        hello = await _json(ws)
        assert hello["type"] == "hello" and hello["last_id"] == older[-1].pk
        await ws.receive_nothing(0.2)  # no ?since=: nothing is replayed
        await ws.disconnect()

        missed, unread = await sync_to_async(while_away)()

        ws = _communicator(ana, since=hello["last_id"])
        assert (await ws.connect())[0]
        again = await _json(ws)
        assert again["type"] == "hello" and again["last_id"] == missed[-1] and again["unread"] == unread
        resume = await _json(ws)
        assert resume["type"] == "resume" and resume["unread"] == unread
        assert [n["id"] for n in resume["notifications"]] == missed
        assert [n["title"] for n in resume["notifications"]] == ["Mientras 1", "Mientras 2", "Mientras 3"]

        await ws.send_json_to({"type": "resume", "since": missed[0]})  # the message form
        assert [n["id"] for n in (await _json(ws))["notifications"]] == missed[1:]
        await ws.disconnect()

    async_to_sync(scenario)()


def test_resume_sends_at_most_the_newest_fifty(users_a, settings, monkeypatch):
    from asgiref.sync import async_to_sync

    from apps.notifications.services.notifications import notification_send

    _in_process_sockets(settings, monkeypatch)
    ana = users_a["comercial"]
    first = notification_send(recipient=ana, title="Primera")
    ids = [notification_send(recipient=ana, title=f"Aviso {n}").pk for n in range(55)]

    async def scenario():
        ws = _communicator(ana, since=first.pk)
        assert (await ws.connect())[0]
        assert (await _json(ws))["type"] == "hello"
        assert [n["id"] for n in (await _json(ws))["notifications"]] == ids[-50:]
        await ws.disconnect()

    async_to_sync(scenario)()


def test_a_user_never_receives_another_users_notifications(users_a, settings, monkeypatch,
                                                            django_capture_on_commit_callbacks):
    from asgiref.sync import async_to_sync, sync_to_async

    from apps.notifications.services.notifications import notification_send

    _in_process_sockets(settings, monkeypatch)
    ana, boss = users_a["comercial"], users_a["direccion"]
    mine = notification_send(recipient=ana, title="Para Ana")
    theirs = notification_send(recipient=boss, title="Para Dirección")

    def send_to_boss():
        from django_tenants.utils import schema_context

        with schema_context("alfa"), django_capture_on_commit_callbacks(execute=True):
            notification_send(recipient=boss, title="Otra para Dirección", kind="mention")

    async def scenario():
        ws = _communicator(ana, since=0)
        assert (await ws.connect())[0]
        assert (await _json(ws))["type"] == "hello"
        resumed = [n["id"] for n in (await _json(ws))["notifications"]]
        assert mine.pk in resumed and theirs.pk not in resumed
        await sync_to_async(send_to_boss)()
        assert await ws.receive_nothing(0.5)  # the boss's live push never reaches Ana's socket
        await ws.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize("since, frame", [("abc", None), ("-1", None), (None, {"type": "resume", "since": "x"}),
                                          (None, {"type": "nonsense"}), (None, ["not", "an", "object"])])
def test_malformed_resume_closes_with_4400(users_a, settings, monkeypatch, since, frame):
    from asgiref.sync import async_to_sync

    _in_process_sockets(settings, monkeypatch)

    async def scenario():
        ws = _communicator(users_a["comercial"], since=since)
        connected, code = await ws.connect()
        if frame is None:
            assert (connected, code) == (False, 4400)
            return
        assert connected and (await _json(ws))["type"] == "hello"
        await ws.send_json_to(frame)
        assert await _json(ws) == ("closed", 4400)
        await ws.disconnect()

    async_to_sync(scenario)()
