import re

from django.core import mail

from tests.conftest import host_client


def test_password_reset_journey(tenants, users_a):
    client = host_client(tenants.alfa_host)
    page = client.get("/cuenta/clave/recuperar/").content.decode()
    assert "Recuperar la contraseña" in page and "Le enviaremos un enlace" in page
    response = client.post("/cuenta/clave/recuperar/", {"email": "cobros@alfa.test"})
    assert response["Location"] == "/cuenta/clave/recuperar/enviado/"
    link = re.search(r"http://alfa\.test(/cuenta/clave/nueva/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Elegir una contraseña nueva" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "Otra-Clave-2027!", "new_password2": "Otra-Clave-2027!"})
    assert done["Location"] == "/cuenta/clave/nueva/hecho/"
    users_a["cobros"].refresh_from_db()
    assert users_a["cobros"].check_password("Otra-Clave-2027!")


def test_unknown_email_reveals_nothing(tenants, tenant_a):
    response = host_client(tenants.alfa_host).post("/cuenta/clave/recuperar/", {"email": "nadie@alfa.test"})
    assert response["Location"] == "/cuenta/clave/recuperar/enviado/" and not mail.outbox
