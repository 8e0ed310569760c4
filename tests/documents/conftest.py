"""Shared fixtures of the documents tests. Files go to a temporary MEDIA_ROOT through the project's default
storage (filesystem). Roles as the issue needs them, on clients (crm.party):
  comercial     manages «Marta Ortega Ruiz» (client_party): views and changes it; cannot see other_party
  contabilidad  views every client, changes none (view-only: 403 on upload)
  rrhh          no CRM access (404)
"""
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from apps.crm.services.parties import party_create
from apps.documents.access import record_key_of
from apps.documents.samples import sample_pdf, sample_png
from apps.documents.services.documents import document_upload
from tests.fixtures.tenants import PASSWORD
from tests.hr.conftest import hr_centre, hr_department, hr_people  # noqa: F401  (fixtures)

PDF = sample_pdf(["Condiciones particulares", "Cláusula de la zarzamora azul"])
PNG = sample_png()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


@pytest.fixture
def media(settings, tmp_path):
    """The default storage writes under a temporary folder (STORAGES re-set so the storage is rebuilt)."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES}
    return tmp_path


def stored_files(media) -> list:
    return sorted(path for path in media.rglob("*") if path.is_file())


@pytest.fixture
def client_party(tenant_a, users_a):
    return party_create(actor=None, data={"kind": "person", "first_name": "Marta", "last_name": "Ortega Ruiz",
                                          "tax_id": "11111111H", "account_manager": users_a["comercial"]})


@pytest.fixture
def other_party(tenant_a):
    return party_create(actor=None, data={"kind": "person", "first_name": "Raúl", "last_name": "Soler Vidal",
                                          "tax_id": "22222222J"})


def upload(actor, record, data: bytes = PDF, *, name="documento.pdf", **kwargs):
    return document_upload(actor=actor, key=record_key_of(record), upload=ContentFile(data, name=name), **kwargs)


def office_file(main_type: str, part: str, text: str = "texto") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override PartName="/{part}" ContentType="application/'
                                                f'vnd.openxmlformats-officedocument.{main_type}"/></Types>')
        archive.writestr(part, f"<w:document><w:p><w:t>{text}</w:t></w:p></w:document>")
    return buffer.getvalue()


def api_client(tenants, role) -> Client:
    login = Client(HTTP_HOST=tenants.alfa_host).post(
        "/api/v1/auth/token/", {"email": tenants.emails[role], "password": PASSWORD}, content_type="application/json")
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")


XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
