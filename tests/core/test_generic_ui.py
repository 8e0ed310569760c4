"""The generic list/detail/form machinery, exercised on the users resource."""
import csv
import io

from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.identity.models import User
from tests.conftest import host_client

USERS = "/r/identity/user/"


def test_search_filter_and_sort(client_a):
    page = client_a.get(USERS, {"q": "cobros"}).content.decode()
    assert "cobros@alfa.test" in page and "rrhh@alfa.test" not in page
    page = client_a.get(USERS, {"o": "-email"}).content.decode()
    table = page[page.index('id="record-table"'):]
    assert table.index("sistemas@alfa.test") < table.index("admin@alfa.test")
    User.objects.filter(email="rrhh@alfa.test").update(is_active=False)
    page = client_a.get(USERS, {"is_active": "false"}).content.decode()
    assert "rrhh@alfa.test" in page and "cobros@alfa.test" not in page
    assert "1 registro" in page


def test_htmx_request_gets_only_the_table(client_a):
    response = client_a.get(USERS, {"q": "admin"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="record-table")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="record-table"') and "<html" not in body


def test_csv_export_follows_the_filters(client_a):
    response = client_a.get(USERS, {"q": "alfa.test", "o": "email", "export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="usuarios.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Correo electrónico", "Nombre", "Apellidos"]
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:]) and len(rows) == 9
    assert rows[1][3] == "Sí"


def test_xlsx_export(client_a):
    response = client_a.get(USERS, {"q": "comercial", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:2] == ["Correo electrónico", "Nombre"]
    assert sheet["A2"].value == "comercial@alfa.test" and sheet["D2"].value is True
    assert sheet.max_row == 2


def test_list_page_query_count_is_fixed(client_a):
    client_a.get(USERS)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as first:
        assert client_a.get(USERS).status_code == 200
    for n in range(15):
        User.objects.create(email=f"extra{n}@alfa.test", first_name=f"Extra {n}", password=make_password(None))
    with CaptureQueriesContext(connection) as second:
        client_a.get(USERS)
    assert len(first) == len(second) == 10, [q["sql"][:90] for q in first.captured_queries]


def test_api_list_query_count_is_fixed(client_a):
    client_a.get("/api/v1/users/")
    with CaptureQueriesContext(connection) as first:
        client_a.get("/api/v1/users/")
    for n in range(15):
        User.objects.create(email=f"api{n}@alfa.test", first_name="Api", password=make_password(None))
    with CaptureQueriesContext(connection) as second:
        client_a.get("/api/v1/users/")
    assert len(first) == len(second) == 8, [q["sql"][:90] for q in first.captured_queries]


def test_create_form_shows_errors_beside_fields_and_saves_nothing(client_a):
    before = User.objects.count()
    response = client_a.post(USERS + "nuevo/", {"email": "no-es-correo", "first_name": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in page and "Introduzca una dirección de correo electrónico válida" in page
    assert User.objects.count() == before


def test_invited_user_gets_a_link_to_choose_a_password(client_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(USERS + "nuevo/", {"email": "Nueva@Alfa.test", "first_name": "Nuria",
                                                    "last_name": "Gil", "language": "es", "is_active": "on"})
    user = User.objects.get(email="nueva@alfa.test")
    assert response.status_code == 302 and response["Location"] == f"{USERS}{user.pk}/"
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1 and "alfa.test" in mail.outbox[0].body and "/cuenta/clave/nueva/" in mail.outbox[0].body


def test_role_without_permission_gets_403_page(tenants, users_a):
    client = host_client(tenants.alfa_host, users_a["rrhh"])
    response = client.get("/r/audit/auditevent/")
    assert response.status_code == 403 and "Acceso denegado" in response.content.decode()
    menu = client.get("/").content.decode()
    assert 'href="/auditoria/"' not in menu


def test_menu_is_built_from_registered_entries(client_a):
    page = client_a.get("/").content.decode()
    for label in ("Panel", "Usuarios", "Auditoría", "Procesos"):
        assert label in page
    assert 'href="/auditoria/"' in page


def test_own_only_role_sees_only_its_jobs(tenants, users_a):
    from apps.jobs.models import JobRun

    mine = JobRun.objects.create(user=users_a["comercial"], task_name="x", label="Mi cálculo")
    JobRun.objects.create(user=users_a["cobros"], task_name="x", label="Remesa de cobros")
    client = host_client(tenants.alfa_host, users_a["comercial"])
    api = client.get("/api/v1/jobs/").json()
    assert [row["id"] for row in api["results"]] == [mine.pk]
    sistemas = host_client(tenants.alfa_host, users_a["sistemas"]).get("/api/v1/jobs/").json()
    assert sistemas["count"] == 2


def test_interface_switches_to_english(client_a):
    client_a.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client_a.get("/cuenta/clave/recuperar/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page


def test_passwords_are_hashed_with_argon2(settings):
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        assert make_password("Clave-Segura-2026").startswith("argon2$")
    from aitcore.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_page_and_bad_credentials(tenants, tenant_a):
    client = host_client(tenants.alfa_host)
    response = client.post("/cuenta/entrar/", {"username": "admin@alfa.test", "password": "mal"})
    assert "Correo electrónico o contraseña incorrectos" in response.content.decode()
    from apps.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="login_failed").exists()


def test_language_choice_is_saved_on_the_profile(client_a, admin_a):
    client_a.post("/i18n/setlang/", {"language": "en", "next": "/"})
    admin_a.refresh_from_db()
    assert admin_a.language == "en"
    fresh = host_client("alfa.test", admin_a)  # another browser: no cookie, the profile decides
    assert 'lang="en"' in fresh.get("/").content.decode()


def test_bell_shows_the_unread_count_before_the_socket_connects(client_a, admin_a):
    from apps.notifications.services.notifications import notification_send

    for n in range(3):
        notification_send(recipient=admin_a, title=f"Aviso {n}")
    page = client_a.get("/").content.decode()
    assert 'app-bell-count" id="notification-count">3</span>' in page
