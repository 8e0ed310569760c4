"""The interface is written in Spanish; the compiled English catalog (locale/en) must turn it into English."""
from django.conf import settings
from django.utils.translation import gettext, ngettext, override

from apps.identity.models import User

DASHBOARD = "/"
USERS = "/r/identity/user/"


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_catalog_translates_lazy_model_names_and_plurals():
    with override("en"):
        assert str(User._meta.verbose_name_plural) == "users"
        assert gettext("Usuarios y roles") == "Users and roles"
        assert ngettext("%(counter)s registro", "%(counter)s registros", 1) % {"counter": 1} == "1 record"
        assert ngettext("%(counter)s registro", "%(counter)s registros", 3) % {"counter": 3} == "3 records"
    with override("es"):
        assert str(User._meta.verbose_name_plural) == "usuarios"


def test_english_cookie_gives_english_pages(client_a):
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    dashboard = page(client_a, DASHBOARD)
    assert '<html lang="en"' in dashboard
    for text in ("Dashboard", "Users", "Log out", "Activity over the last 14 days"):
        assert text in dashboard, text
    for text in ("Usuarios", "Cerrar sesión", "Actividad de los últimos 14 días"):
        assert text not in dashboard, text

    users = page(client_a, USERS)
    for text in ("Users", "Email address", "Surname", "Log out", "records"):
        assert text in users, text
    for text in ("Usuarios", "Correo electrónico", "Apellidos", "Cerrar sesión", "registros"):
        assert text not in users, text


def test_without_cookie_pages_stay_spanish(client_a):
    dashboard = page(client_a, DASHBOARD)
    assert '<html lang="es"' in dashboard
    for text in ("Panel", "Usuarios", "Cerrar sesión", "Actividad de los últimos 14 días"):
        assert text in dashboard, text
    for text in ("Dashboard", "Log out"):
        assert text not in dashboard, text

    users = page(client_a, USERS)
    for text in ("Usuarios", "Correo electrónico", "Cerrar sesión", "registros"):
        assert text in users, text
    for text in ("Email address", "Log out"):
        assert text not in users, text
