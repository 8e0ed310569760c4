"""Two brokerages (alfa, beta) are provisioned once per test session and committed, so live
servers and Celery workers in other threads see them; each test then runs inside a rolled
back transaction in alfa's schema."""
import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from tests.fixtures.tenants import PASSWORD, SessionTenants, build_session_tenants


@pytest.fixture(scope="session")
def tenants(django_db_setup, django_db_blocker) -> SessionTenants:
    with django_db_blocker.unblock():
        # Guard: never provision the test brokerages into a development database.
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
        yield build_session_tenants()
        # Live-server threads leave connections open; drop them so the test database can go.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(autouse=True)
def _back_to_public():
    """Requests to a brokerage host leave the connection in its schema; start each test clean."""
    yield
    connection.set_schema_to_public()


@pytest.fixture
def tenant_a(tenants, db):
    connection.set_tenant(tenants.alfa)
    yield tenants.alfa
    connection.set_schema_to_public()


@pytest.fixture
def tenant_b(tenants):
    return tenants.beta


@pytest.fixture
def users_a(tenant_a, tenants):
    """Users of alfa by role code (plus 'admin'), fetched in alfa's schema."""
    from apps.identity.models import User

    return {code: User.objects.get(email=email) for code, email in tenants.emails.items()}


@pytest.fixture
def admin_a(users_a):
    return users_a["admin"]


def host_client(host: str, user=None) -> Client:
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def client_a(tenants, admin_a):
    return host_client(tenants.alfa_host, admin_a)


@pytest.fixture
def api_token_a(tenants, tenant_a):
    client = Client(HTTP_HOST=tenants.alfa_host)
    response = client.post("/api/v1/auth/token/", {"email": tenants.emails["admin"], "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["access"]


@pytest.fixture
def in_schema():
    return schema_context


@pytest.fixture(scope="module")
def live_port(tenants, django_db_blocker):
    """Port of a real uvicorn serving aitcore.asgi on 127.0.0.1 for this test module."""
    from aitcore.asgi import application
    from tests.fixtures.live import LiveServer

    with django_db_blocker.unblock(), LiveServer(application) as server:
        yield server.port


@pytest.fixture(scope="module")
def site(tenants, django_db_blocker):
    """Port of a real uvicorn serving aitcore.asgi with the static files, for browser tests of this module."""
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from aitcore.asgi import application
    from tests.fixtures.live import LiveServer

    with django_db_blocker.unblock(), LiveServer(ASGIStaticFilesHandler(application)) as server:
        yield server.port
