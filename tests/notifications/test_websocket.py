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
