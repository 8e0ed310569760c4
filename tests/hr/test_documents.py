"""Employee documents (issue 8 item 8): HR uploads, the employee (and HR) download; managers do not see their team's
documents; the type comes from the file's bytes (a disguised file is refused, nothing stored) and the stored name
takes that type's extension; 10 MB at most; deleting removes the row and the stored file. Files go to a temporary
MEDIA_ROOT through the project's default storage."""
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEvent
from apps.hr.errors import HRError
from apps.hr.models import EmployeeDocument
from apps.hr.services.documents import MAX_DOCUMENT_BYTES, document_delete, document_upload
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def media(settings, tmp_path):
    """The default storage writes under a temporary folder (STORAGES re-set so the storage is rebuilt)."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES}
    return tmp_path


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def office_file(main_type: str, part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override PartName="/{part}" ContentType="application/'
                                                f'vnd.openxmlformats-officedocument.{main_type}"/></Types>')
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def upload(users_a, employee, data: bytes, *, name="documento.pdf", title="Contrato indefinido", kind="contract"):
    return document_upload(actor=users_a["rrhh"], employee=employee, kind=kind, title=title,
                           upload=ContentFile(data, name=name))


def _api(tenants, role):
    login = Client(HTTP_HOST=tenants.alfa_host).post(
        "/api/v1/auth/token/", {"email": tenants.emails[role], "password": PASSWORD}, content_type="application/json")
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")


def test_hr_uploads_a_pdf_and_the_employee_downloads_it(media, tenants, hr_people, users_a):
    ana = hr_people["ana"]
    hr = host_client(tenants.alfa_host, users_a["rrhh"])
    assert hr.get(f"/rrhh/empleados/{ana.pk}/documentos/").status_code == 200
    sent = hr.post(f"/rrhh/empleados/{ana.pk}/documentos/", {
        "kind": "contract", "title": "Contrato indefinido 2025",
        "file": SimpleUploadedFile("scan.PDF", PDF, content_type="application/octet-stream")})
    assert sent.status_code == 302 and sent["Location"] == f"/rrhh/empleados/{ana.pk}/documentos/"
    document = EmployeeDocument.objects.get(employee=ana)
    assert (document.content_type, document.size, document.kind) == ("application/pdf", len(PDF), "contract")
    assert document.file.name.startswith(f"{connection.schema_name}/hr/") and document.file.name.endswith(".pdf")
    assert [path.read_bytes() for path in stored_files(media)] == [PDF]
    assert AuditEvent.objects.filter(verb="hr_document_upload", object_id=str(document.pk)).exists()

    mine = host_client(tenants.alfa_host, users_a["comercial"])
    assert "Contrato indefinido 2025" in mine.get("/rrhh/mis-documentos/").content.decode()
    assert "employee-documents-panel" in mine.get(f"/rrhh/empleados/{ana.pk}/").content.decode()
    response = mine.get(f"/rrhh/documentos/{document.pk}/descargar/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="contrato-indefinido-2025.pdf"'
    download = AuditEvent.objects.get(verb="hr_document_download", object_id=str(document.pk))
    assert download.actor_id == users_a["comercial"].pk and download.verb_label == "descarga de documento del empleado"

    api = _api(tenants, "comercial").get(f"/api/v1/hr/documents/{document.pk}/download/")
    assert api.status_code == 200 and b"".join(api.streaming_content) == PDF
    assert AuditEvent.objects.filter(verb="hr_document_download", object_id=str(document.pk)).count() == 2


@pytest.mark.parametrize("content", [EXE, HTML], ids=["executable", "html"])
def test_a_disguised_pdf_is_refused_and_nothing_is_stored(media, tenants, hr_people, users_a, content):
    ana = hr_people["ana"]
    page = host_client(tenants.alfa_host, users_a["rrhh"]).post(f"/rrhh/empleados/{ana.pk}/documentos/", {
        "kind": "payslip", "title": "Nómina marzo",
        "file": SimpleUploadedFile("nomina.pdf", content, content_type="application/pdf")})
    assert page.status_code == 400
    assert "Tipo de archivo no admitido: solo se aceptan PDF, PNG, JPEG, Word (DOCX) o Excel (XLSX)" in \
        page.content.decode()
    api = _api(tenants, "rrhh").post("/api/v1/hr/documents/", {
        "employee": ana.pk, "kind": "payslip", "title": "Nómina marzo",
        "file": SimpleUploadedFile("nomina.pdf", content, content_type="application/pdf")})
    assert api.status_code == 400 and api.json()["code"] == "hr_document_type"
    assert not EmployeeDocument.objects.exists() and stored_files(media) == []


def test_the_stored_name_follows_the_detected_type(media, hr_people, users_a):
    ana = hr_people["ana"]
    photo = upload(users_a, ana, PNG, name="foto.pdf", title="DNI", kind="id")
    assert (photo.content_type, photo.file.name[-4:]) == ("image/png", ".png")
    docx = upload(users_a, ana, office_file("wordprocessingml.document.main+xml", "word/document.xml"),
                  name="certificado.zip", title="Certificado de empresa", kind="certificate")
    assert docx.file.name.endswith(".docx") and docx.content_type.endswith("wordprocessingml.document")
    xlsx = upload(users_a, ana, office_file("spreadsheetml.sheet.main+xml", "xl/workbook.xml"), name="horas.bin",
                  title="Horas extra", kind="other")
    assert xlsx.file.name.endswith(".xlsx")
    for bare_zip in (b"PK\x03\x04" + b"\x00" * 40, office_file("presentationml.presentation.main+xml", "ppt/p.xml")):
        with pytest.raises(HRError) as refused:
            upload(users_a, ana, bare_zip, name="x.docx")
        assert refused.value.code == "hr_document_type"
    assert len(stored_files(media)) == 3


def test_size_limit_is_10_mb(media, hr_people, users_a):
    ana = hr_people["ana"]
    too_big = PDF + b"0" * (MAX_DOCUMENT_BYTES + 1 - len(PDF))
    with pytest.raises(HRError) as refused:
        upload(users_a, ana, too_big)
    assert (refused.value.code, refused.value.field) == ("hr_document_size", "file")
    assert "el máximo es 10 MB" in refused.value.message
    assert not EmployeeDocument.objects.exists() and stored_files(media) == []
    assert upload(users_a, ana, too_big[:-1]).size == MAX_DOCUMENT_BYTES
    with pytest.raises(HRError) as untitled:
        upload(users_a, ana, PDF, title="  ")
    assert untitled.value.field == "title"


def test_other_employees_and_managers_get_404(media, tenants, hr_people, users_a):
    pedro_doc = upload(users_a, hr_people["pedro"], PDF, title="Nómina de Pedro", kind="payslip")
    ana_doc = upload(users_a, hr_people["ana"], PDF, title="Nómina de Ana", kind="payslip")
    ana = host_client(tenants.alfa_host, users_a["comercial"])
    assert ana.get(f"/rrhh/documentos/{pedro_doc.pk}/descargar/").status_code == 404
    ana_api = _api(tenants, "comercial")
    assert ana_api.get(f"/api/v1/hr/documents/{pedro_doc.pk}/").status_code == 404
    assert ana_api.get(f"/api/v1/hr/documents/{pedro_doc.pk}/download/").status_code == 404
    assert [row["id"] for row in ana_api.get("/api/v1/hr/documents/").json()["results"]] == [ana_doc.pk]

    boss = host_client(tenants.alfa_host, users_a["contabilidad"])  # Laura manages Ana: still private
    assert boss.get(f"/rrhh/documentos/{ana_doc.pk}/descargar/").status_code == 404
    assert boss.get(f"/rrhh/empleados/{hr_people['ana'].pk}/documentos/").status_code == 403
    page = boss.get(f"/rrhh/empleados/{hr_people['ana'].pk}/")
    assert page.status_code == 200 and "employee-documents-panel" not in page.content.decode()
    boss_api = _api(tenants, "contabilidad")
    assert boss_api.get(f"/api/v1/hr/documents/{ana_doc.pk}/").status_code == 404
    assert boss_api.get(f"/api/v1/hr/documents/{ana_doc.pk}/download/").status_code == 404
    assert boss_api.get("/api/v1/hr/documents/").json()["results"] == []
    assert not AuditEvent.objects.filter(verb="hr_document_download").exists()


def test_only_hr_uploads_and_deletes(media, tenants, hr_people, users_a):
    ana = hr_people["ana"]
    file = SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf")
    api = _api(tenants, "comercial").post("/api/v1/hr/documents/", {"employee": ana.pk, "kind": "contract",
                                                                      "title": "Mío", "file": file})
    assert api.status_code == 403
    page = host_client(tenants.alfa_host, users_a["comercial"]).post(
        f"/rrhh/empleados/{ana.pk}/documentos/", {"kind": "contract", "title": "Mío", "file": file})
    assert page.status_code == 403
    with pytest.raises(HRError) as refused:
        document_upload(actor=users_a["contabilidad"], employee=ana, kind="contract", title="x",
                        upload=ContentFile(PDF, name="x.pdf"))
    assert refused.value.status == 403
    assert not EmployeeDocument.objects.exists() and stored_files(media) == []
    document = upload(users_a, ana, PDF)
    assert _api(tenants, "comercial").delete(f"/api/v1/hr/documents/{document.pk}/").status_code == 403
    assert host_client(tenants.alfa_host, users_a["comercial"]).post(
        f"/rrhh/documentos/{document.pk}/eliminar/").status_code == 403
    with pytest.raises(HRError):
        document_delete(actor=users_a["comercial"], document=document)
    assert EmployeeDocument.objects.filter(pk=document.pk).exists()


def test_deleting_removes_the_row_and_the_stored_file(media, tenants, hr_people, users_a, admin_a,
                                                      django_capture_on_commit_callbacks):
    ana = hr_people["ana"]
    first, second = upload(users_a, ana, PDF, title="Uno"), upload(users_a, ana, PNG, title="Dos")
    assert len(stored_files(media)) == 2
    admin = host_client(tenants.alfa_host, admin_a).get("/admin/hr/employeedocument/?q=Martínez&kind__exact=contract")
    assert admin.status_code == 200 and "Uno" in admin.content.decode()
    hr = host_client(tenants.alfa_host, users_a["rrhh"])
    confirm = hr.get(f"/rrhh/documentos/{first.pk}/eliminar/")
    assert confirm.status_code == 200 and "¿Seguro que quiere eliminar «Uno»" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        deleted = hr.post(f"/rrhh/documentos/{first.pk}/eliminar/")
    assert deleted.status_code == 302 and not EmployeeDocument.objects.filter(pk=first.pk).exists()
    assert [path.read_bytes() for path in stored_files(media)] == [PNG]
    assert AuditEvent.objects.filter(verb="hr_document_delete", object_id=str(first.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert _api(tenants, "rrhh").delete(f"/api/v1/hr/documents/{second.pk}/").status_code == 204
    assert not EmployeeDocument.objects.exists() and stored_files(media) == []


def test_document_lists_take_a_fixed_number_of_queries(media, tenants, hr_people, users_a,
                                                       django_assert_max_num_queries):
    ana = hr_people["ana"]
    upload(users_a, ana, PDF, title="Primero")
    hr, api = host_client(tenants.alfa_host, users_a["rrhh"]), _api(tenants, "rrhh")
    pages = {"hr": f"/rrhh/empleados/{ana.pk}/documentos/", "panel": f"/rrhh/empleados/{ana.pk}/"}
    hr.get(pages["hr"])
    counts = {}
    for key, url in pages.items():
        with CaptureQueriesContext(connection) as few:
            hr.get(url)
        counts[key] = len(few)
    api.get("/api/v1/hr/documents/")
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/hr/documents/")
    counts["api"] = len(few)
    for n in range(12):
        upload(users_a, ana, PDF, title=f"Nómina {n}", kind="payslip")
    for key, url in pages.items():
        with django_assert_max_num_queries(counts[key]):
            assert "Nómina 11" in hr.get(url).content.decode()
    with django_assert_max_num_queries(counts["api"]):
        assert api.get("/api/v1/hr/documents/").json()["count"] == 13
