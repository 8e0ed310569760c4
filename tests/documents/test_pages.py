"""Query counts of the documents' pages are pinned: the record page's panel, its fragment, the «Documentos»
list and the API list read a fixed number of queries whatever the number of documents; plus the pages'
shape (filters, CSV export, detail with versions)."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.documents.models import DocumentCategory
from tests.conftest import host_client
from tests.documents.conftest import PNG, api_client, upload


def queries(client, url) -> int:
    client.get(url)  # warm: session, permissions, content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def add_documents(users_a, party, count: int, category=None):
    for n in range(count):
        document = upload(users_a["comercial"], party, title=f"Documento {n}", category=category,
                          expires_on=datetime.date(2026, 6, 1) if n % 2 else None)
        if n % 3 == 0:
            upload(users_a["comercial"], party, PNG, name="v2.png", document=document)


@pytest.fixture
def category(tenant_a):
    return DocumentCategory.objects.create(code="contrato", name="Contrato", retention_years=10)


def test_the_panel_and_the_lists_read_a_fixed_number_of_queries(media, tenants, client_party, other_party,
                                                                  users_a, category):
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    api = api_client(tenants, "comercial")
    key = f"crm.party.{client_party.pk}"
    urls = {"panel": f"/documentos/panel/?key={key}", "list": "/documentos/", "filtered":
            f"/documentos/?category={category.pk}&kind=crm.party&expiry=any", "record": f"/documentos/?key={key}",
            "page": f"/r/crm/party/{client_party.pk}/"}
    add_documents(users_a, client_party, 2, category)
    few = {name: queries(comercial, url) for name, url in urls.items()}
    few["api"] = queries(api, "/api/v1/documents/")
    add_documents(users_a, client_party, 7, category)
    many = {name: queries(comercial, url) for name, url in urls.items()}
    many["api"] = queries(api, "/api/v1/documents/")
    assert many == few
    pinned = {name: few[name] for name in ("panel", "list", "filtered", "record", "api")}
    assert pinned == {"panel": 12, "list": 17, "filtered": 18, "record": 17, "api": 13}, pinned


def test_the_list_filters_exports_and_links_to_the_detail(media, tenants, client_party, users_a, category):
    document = upload(users_a["comercial"], client_party, title="Contrato de mediación", category=category,
                      expires_on=datetime.date.today() + datetime.timedelta(days=10))
    upload(users_a["comercial"], client_party, title="Sin categoría")
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    soon = comercial.get("/documentos/?expiry=soon").content.decode()
    assert "Contrato de mediación" in soon and "Sin categoría" not in soon
    assert "Sin categoría" not in comercial.get(f"/documentos/?category={category.pk}").content.decode()
    found = comercial.get("/documentos/?q=mediación").content.decode()
    assert f'href="/documentos/{document.pk}/"' in found and "Sin categoría" not in found
    export = b"".join(comercial.get("/documentos/?export=csv").streaming_content).decode("utf-8-sig")
    header, *rows = export.strip().splitlines()
    assert header.split(";")[:3] == ["Título", "Categoría", "Registro"] and len(rows) == 2
    assert any(row.startswith("Contrato de mediación;Contrato;Marta Ortega Ruiz;") for row in rows)
    detail = comercial.get(f"/documentos/{document.pk}/").content.decode()
    assert "Marta Ortega Ruiz" in detail and 'id="version-1"' in detail and "Nueva versión" in detail


def test_the_admin_shows_categories_settings_and_documents_with_their_versions(media, tenants, client_party,
                                                                               users_a, admin_a, category):
    document = upload(users_a["comercial"], client_party, title="Contrato", category=category)
    upload(users_a["comercial"], client_party, PNG, name="v2.png", document=document)
    admin = host_client(tenants.alfa_host, admin_a)
    for url in ("/admin/documents/documentcategory/", f"/admin/documents/documentcategory/{category.pk}/change/",
                "/admin/documents/documentsettings/", "/admin/documents/documentsettings/add/",
                "/admin/documents/document/"):
        assert admin.get(url).status_code == 200, url
    change = admin.get(f"/admin/documents/document/{document.pk}/change/").content.decode()
    assert "v2.png" in change and "documento.pdf" in change and 'name="legal_hold"' in change
    assert document.current_version.file.name not in change  # the stored key is not shown


def test_the_settings_refuse_unknown_types(tenant_a):
    from django.core.exceptions import ValidationError

    from apps.documents.models import DocumentSettings

    with pytest.raises(ValidationError):
        DocumentSettings(allowed_types=["pdf", "exe"]).full_clean()
    with pytest.raises(ValidationError):
        DocumentCategory(code="x", name="X", record_kinds="crm.party").full_clean()
    DocumentSettings(allowed_types=["pdf", "png"]).full_clean()
