"""Uploads (issue 11 item 1, «Bad input»): the type comes from the bytes (an executable renamed .pdf is refused
with a clear message and nothing is stored: no row, no file), the tenant's size and type limits, versions (a
new upload of the same document keeps the old; both download), and every download audited."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from apps.audit.models import AuditEvent
from apps.documents.errors import DocumentError
from apps.documents.models import Document, DocumentCategory, DocumentSettings, DocumentVersion
from apps.documents.services.documents import document_delete, document_store_bytes
from tests.conftest import host_client
from tests.documents.conftest import ELF, EXE, PDF, PNG, XHR, api_client, office_file, stored_files, upload


def nothing_stored(media) -> bool:
    return not Document.all_objects.exists() and not DocumentVersion.objects.exists() and stored_files(media) == []


def test_a_pdf_is_stored_with_its_type_hash_and_text(media, client_party, users_a):
    document = upload(users_a["comercial"], client_party, PDF, name="Escaneo póliza.PDF", title="")
    version = document.current_version
    assert document.title == "Escaneo póliza" and document.record_key == f"crm.party.{client_party.pk}"
    assert (version.number, version.mime_type, version.size, version.original_name) == (
        1, "application/pdf", len(PDF), "Escaneo póliza.PDF")
    assert len(version.sha256) == 64 and "zarzamora azul" in version.text
    assert version.file.name.startswith(f"{connection.schema_name}/documents/") and version.file.name.endswith(".pdf")
    assert [path.read_bytes() for path in stored_files(media)] == [PDF]
    event = AuditEvent.objects.get(verb="documents_upload", object_id=str(document.pk))
    assert event.actor_id == users_a["comercial"].pk and event.verb_label == "alta de documento"


@pytest.mark.parametrize("content", [EXE, ELF], ids=["windows", "linux"])
def test_an_executable_renamed_pdf_is_refused_and_nothing_is_stored(media, tenants, client_party, users_a, content):
    with pytest.raises(DocumentError) as refused:
        upload(users_a["comercial"], client_party, content, name="poliza.pdf")
    assert refused.value.code == "documents_executable" and refused.value.status == 400
    assert "«poliza.pdf» es un programa ejecutable, no un documento" in refused.value.message

    page = host_client(tenants.alfa_host, users_a["comercial"]).post("/documentos/subir/", {
        "key": f"crm.party.{client_party.pk}", "file": SimpleUploadedFile("poliza.pdf", content, "application/pdf")},
        **XHR)
    assert page.status_code == 400 and "programa ejecutable" in page.json()["error"]
    api = api_client(tenants, "comercial").post("/api/v1/documents/", {
        "key": f"crm.party.{client_party.pk}", "file": SimpleUploadedFile("poliza.pdf", content, "application/pdf")})
    assert api.status_code == 400 and api["Content-Type"] == "application/problem+json"
    assert api.json()["code"] == "documents_executable" and "programa ejecutable" in api.json()["detail"]
    assert nothing_stored(media)


@pytest.mark.parametrize("name, content, code", [
    ("informe.pdf", b"Solo texto, no es un PDF\n", "documents_type"),
    ("notas.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "documents_type"),
    ("datos.docx", b"PK\x03\x04" + b"\x00" * 60, "documents_type"),
    ("vacio.pdf", b"", "documents_file"),
], ids=["text-as-pdf", "html-as-txt", "bare-zip", "empty"])
def test_other_disguised_or_empty_files_are_refused(media, client_party, users_a, name, content, code):
    with pytest.raises(DocumentError) as refused:
        upload(users_a["comercial"], client_party, content, name=name)
    assert refused.value.code == code
    assert nothing_stored(media)


def test_office_files_and_plain_text_are_typed_by_their_bytes(media, client_party, users_a):
    comercial = users_a["comercial"]
    docx = upload(comercial, client_party, office_file("wordprocessingml.document.main+xml", "word/document.xml",
                                                       "Contrato de mediación"), name="contrato.zip")
    assert docx.current_version.mime_type.endswith("wordprocessingml.document")
    assert docx.current_version.file.name.endswith(".docx") and "Contrato de mediación" in docx.current_version.text
    xlsx = upload(comercial, client_party, office_file("spreadsheetml.sheet.main+xml", "xl/workbook.xml"),
                  name="cuadro.xlsx")
    assert xlsx.current_version.mime_type.endswith("spreadsheetml.sheet")
    csv = upload(comercial, client_party, "nif;nombre\n11111111H;Marta Ortega\n".encode(), name="clientes.csv")
    assert csv.current_version.mime_type == "text/csv"
    assert csv.current_version.text == "nif;nombre\n11111111H;Marta Ortega"
    photo = upload(comercial, client_party, PNG, name="foto.pdf")  # a real PNG under a wrong name: a PNG
    assert photo.current_version.mime_type == "image/png" and photo.current_version.file.name.endswith(".png")


def test_the_tenant_limits_size_and_types(media, tenants, client_party, users_a):
    DocumentSettings.objects.create(pk=1, max_upload_mb=1, allowed_types=["pdf"])
    big = PDF + b"%" * (1024 * 1024)
    with pytest.raises(DocumentError) as refused:
        upload(users_a["comercial"], client_party, big, name="grande.pdf")
    assert refused.value.code == "documents_size" and "el máximo es 1 MB" in refused.value.message
    api = api_client(tenants, "comercial").post("/api/v1/documents/", {
        "key": f"crm.party.{client_party.pk}", "file": SimpleUploadedFile("grande.pdf", big)})
    assert api.status_code == 400 and api.json()["code"] == "documents_size"
    with pytest.raises(DocumentError) as refused:
        upload(users_a["comercial"], client_party, PNG, name="foto.png")
    assert refused.value.code == "documents_type" and "Los archivos Imagen PNG no se admiten: solo PDF" in \
        refused.value.message
    assert nothing_stored(media)


def test_a_category_must_apply_to_the_record(media, client_party, users_a):
    DocumentCategory.objects.create(code="siniestro-fotos", name="Siniestro - fotos", record_kinds=["claims.claim"])
    with pytest.raises(DocumentError) as refused:
        upload(users_a["comercial"], client_party, category="siniestro-fotos")
    assert refused.value.field == "category" and nothing_stored(media)


def test_a_new_version_keeps_the_old_one_and_every_download_is_audited(media, tenants, client_party, users_a):
    v1 = upload(users_a["comercial"], client_party, PDF, name="dni.pdf", title="DNI de Marta")
    page = host_client(tenants.alfa_host, users_a["comercial"])
    sent = page.post(f"/documentos/{v1.pk}/version/", {"file": SimpleUploadedFile("dni-renovado.png", PNG),
                                                       "expires_on": "2031-05-31"}, **XHR)
    assert sent.status_code == 201, sent.content
    document = Document.objects.get(pk=v1.pk)
    versions = {v.number: v for v in document.versions.all()}
    assert sorted(versions) == [1, 2] and document.current_version == versions[2]
    assert str(document.expires_on) == "2031-05-31" and document.title == "DNI de Marta"
    assert AuditEvent.objects.filter(verb="documents_version_add", object_id=str(document.pk)).count() == 1

    first = page.get(f"/documentos/versiones/{versions[1].pk}/descargar/")
    assert first.status_code == 200 and b"".join(first.streaming_content) == PDF
    assert first["Content-Disposition"] == 'attachment; filename="dni-de-marta.pdf"'
    api = api_client(tenants, "contabilidad")  # may view the client: may download
    current = api.get(f"/api/v1/documents/{document.pk}/download/")
    assert current.status_code == 200 and b"".join(current.streaming_content) == PNG
    old = api.get(f"/api/v1/documents/{document.pk}/download/?version=1")
    assert b"".join(old.streaming_content) == PDF
    body = api.get(f"/api/v1/documents/{document.pk}/").json()
    assert [v["number"] for v in body["versions"]] == [2, 1] and body["current_version"]["number"] == 2
    downloads = AuditEvent.objects.filter(verb="documents_download", object_id=str(document.pk)).order_by("id")
    assert [(e.actor_id, e.changes["version"][1]) for e in downloads] == [
        (users_a["comercial"].pk, 1), (users_a["contabilidad"].pk, 2), (users_a["contabilidad"].pk, 1)]
    detail = page.get(f"/documentos/{document.pk}/").content.decode()
    assert 'id="version-1"' in detail and 'id="version-2"' in detail and "descarga de documento" in detail


def test_the_download_redirects_to_a_presigned_url_when_the_storage_gives_one(media, tenants, client_party,
                                                                              users_a, monkeypatch):
    document = upload(users_a["comercial"], client_party)
    monkeypatch.setattr("apps.documents.services.documents.presigned_url",
                        lambda name, *, filename, seconds: f"https://s3.example/{name}?sig=1&name={filename}")
    response = host_client(tenants.alfa_host, users_a["comercial"]).get(
        f"/documentos/versiones/{document.current_version.pk}/descargar/")
    assert response.status_code == 302 and response["Location"].startswith("https://s3.example/alfa/documents/")
    assert AuditEvent.objects.filter(verb="documents_download", object_id=str(document.pk)).count() == 1


def test_generated_files_are_stored_by_system_jobs_with_the_same_checks(media, client_party, users_a):
    DocumentCategory.objects.create(code="poliza", name="Póliza")
    key = f"crm.party.{client_party.pk}"
    document = document_store_bytes(actor=None, key=key, filename="certificado.pdf", content=PDF,
                                    title="Certificado", category_code="poliza")
    assert document.category.code == "poliza" and document.created_by is None
    again = document_store_bytes(actor=None, key=key, filename="certificado.pdf", content=PDF, title="Certificado",
                                 category_code="no-existe", document=document)
    assert again.current_version.number == 2
    with pytest.raises(DocumentError) as refused:
        document_store_bytes(actor=None, key=key, filename="x.pdf", content=EXE, title="x")
    assert refused.value.code == "documents_executable"
    with pytest.raises(DocumentError) as refused:
        document_store_bytes(actor=users_a["contabilidad"], key=key, filename="x.pdf", content=PDF, title="x")
    assert refused.value.status == 403
    with pytest.raises(DocumentError) as refused:
        document_store_bytes(actor=None, key="crm.party.999999", filename="x.pdf", content=PDF, title="x")
    assert refused.value.status == 404
    assert len(stored_files(media)) == 2


def test_deleting_hides_the_document_and_is_audited(media, tenants, client_party, users_a):
    document = upload(users_a["comercial"], client_party)
    version = document.current_version
    document_delete(actor=users_a["comercial"], document=document)
    assert not Document.objects.filter(pk=document.pk).exists() and Document.all_objects.get(pk=document.pk).deleted_at
    assert AuditEvent.objects.filter(verb="documents_delete", object_id=str(document.pk)).exists()
    client = host_client(tenants.alfa_host, users_a["comercial"])
    assert client.get(f"/documentos/versiones/{version.pk}/descargar/").status_code == 404
    assert client.get(f"/documentos/{document.pk}/").status_code == 404
    assert len(stored_files(media)) == 1  # kept until the retention job removes it
