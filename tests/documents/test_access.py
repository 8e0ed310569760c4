"""Access follows the record's permissions (issue 11 item 1 and «Bad input»): who may view a record sees and
downloads its documents; who may also change it uploads and deletes (a view-only user gets 403); who may not
view it gets 404 on the pages and the API, as if nothing existed; an employee's record is HR's."""
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.documents.models import Document
from tests.conftest import host_client
from tests.documents.conftest import PDF, XHR, api_client, stored_files, upload


def test_a_view_only_user_cannot_upload_nor_delete(media, tenants, client_party, users_a):
    key = f"crm.party.{client_party.pk}"
    page = host_client(tenants.alfa_host, users_a["contabilidad"])
    sent = page.post("/documentos/subir/", {"key": key, "file": SimpleUploadedFile("a.pdf", PDF)}, **XHR)
    assert sent.status_code == 403 and "no puede adjuntar" in sent.json()["error"]
    plain = page.post("/documentos/subir/", {"key": key, "file": SimpleUploadedFile("a.pdf", PDF)})
    assert plain.status_code == 403 and "no puede adjuntar" in plain.content.decode()
    api = api_client(tenants, "contabilidad").post("/api/v1/documents/", {
        "key": key, "file": SimpleUploadedFile("a.pdf", PDF)})
    assert api.status_code == 403 and api.json()["code"] == "documents_read_only"
    assert not Document.all_objects.exists() and stored_files(media) == []

    document = upload(users_a["comercial"], client_party)
    assert page.post(f"/documentos/{document.pk}/eliminar/", **XHR).status_code == 403
    assert api_client(tenants, "contabilidad").delete(f"/api/v1/documents/{document.pk}/").status_code == 403
    assert page.get(f"/documentos/{document.pk}/").status_code == 200  # but reads it
    assert Document.objects.filter(pk=document.pk).exists()


def test_who_cannot_view_the_record_gets_404_everywhere(media, tenants, client_party, other_party, users_a):
    theirs = upload(users_a["admin"], other_party, title="Escritura de Raúl")
    mine = upload(users_a["comercial"], client_party, title="Póliza de Marta")
    for role, record, document in (("comercial", other_party, theirs), ("rrhh", client_party, mine)):
        key = f"crm.party.{record.pk}"
        page = host_client(tenants.alfa_host, users_a[role])
        sent = page.post("/documentos/subir/", {"key": key, "file": SimpleUploadedFile("a.pdf", PDF)}, **XHR)
        assert sent.status_code == 404 and sent.json()["code"] == "documents_not_found", role
        assert page.get(f"/documentos/{document.pk}/").status_code == 404
        assert page.get(f"/documentos/versiones/{document.current_version.pk}/descargar/").status_code == 404
        assert page.get(f"/documentos/panel/?key={key}").status_code == 404
        assert page.post(f"/documentos/{document.pk}/version/", {"file": SimpleUploadedFile("a.pdf", PDF)},
                         **XHR).status_code == 404
        assert page.post(f"/documentos/{document.pk}/eliminar/", **XHR).status_code == 404
        api = api_client(tenants, role)
        refused = api.post("/api/v1/documents/", {"key": key, "file": SimpleUploadedFile("a.pdf", PDF)})
        assert refused.status_code == 404 and refused.json()["code"] == "documents_not_found"
        assert api.get(f"/api/v1/documents/?key={key}").status_code == 404
        assert api.get(f"/api/v1/documents/{document.pk}/").status_code == 404
        assert api.get(f"/api/v1/documents/{document.pk}/download/").status_code == 404
        assert api.delete(f"/api/v1/documents/{document.pk}/").status_code == 404
        assert document.title not in page.get("/documentos/").content.decode()
    assert Document.objects.count() == 2 and len(stored_files(media)) == 2


def test_lists_show_only_documents_of_viewable_records(media, tenants, client_party, other_party, users_a):
    upload(users_a["comercial"], client_party, title="Nómina de Marta")
    upload(users_a["admin"], other_party, title="Escritura de Raúl")
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    page = comercial.get("/documentos/").content.decode()
    assert "Nómina de Marta" in page and "Marta Ortega Ruiz" in page and "Escritura de Raúl" not in page
    export = b"".join(comercial.get("/documentos/?export=csv").streaming_content).decode("utf-8-sig")
    assert "Nómina de Marta" in export and "Escritura de Raúl" not in export
    assert comercial.get("/documentos/?export=xlsx").status_code == 200
    titles = [row["title"] for row in api_client(tenants, "comercial").get("/api/v1/documents/").json()["results"]]
    assert titles == ["Nómina de Marta"]
    both = [row["title"] for row in api_client(tenants, "contabilidad").get("/api/v1/documents/").json()["results"]]
    assert sorted(both) == ["Escritura de Raúl", "Nómina de Marta"]
    assert api_client(tenants, "rrhh").get("/api/v1/documents/").json()["results"] == []
    one = api_client(tenants, "contabilidad").get(f"/api/v1/documents/?key=crm.party.{other_party.pk}").json()
    assert [row["title"] for row in one["results"]] == ["Escritura de Raúl"]


def test_the_panel_offers_the_drop_zone_only_to_who_may_change_the_record(media, tenants, client_party, users_a):
    upload(users_a["comercial"], client_party, title="Póliza firmada")
    key = f"crm.party.{client_party.pk}"
    for role, editable in (("comercial", True), ("contabilidad", False)):
        client = host_client(tenants.alfa_host, users_a[role])
        page = client.get(f"/r/crm/party/{client_party.pk}/").content.decode()
        assert 'id="documents-panel"' in page and "documents/upload.js" in page
        assert f'hx-get="/documentos/panel/?key={key}&amp;next=' in page  # the body comes after the page
        body = client.get(f"/documentos/panel/?key={key}").content.decode()
        assert "Póliza firmada" in body
        assert ("js-documents-upload" in body) is editable and ("Nueva versión" in body) is editable


def test_an_employee_record_panel_is_hr_only(media, tenants, users_a, hr_people):
    ana = hr_people["ana"]  # the employee record of the comercial user
    hr = host_client(tenants.alfa_host, users_a["rrhh"])
    assert 'id="documents-panel"' in hr.get(f"/rrhh/empleados/{ana.pk}/").content.decode()
    assert "js-documents-upload" in hr.get(f"/documentos/panel/?key=hr.employee.{ana.pk}").content.decode()
    own = host_client(tenants.alfa_host, users_a["comercial"]).get(f"/rrhh/empleados/{ana.pk}/")
    assert own.status_code == 200 and 'id="documents-panel"' not in own.content.decode()
    sent = host_client(tenants.alfa_host, users_a["comercial"]).post(
        "/documentos/subir/", {"key": f"hr.employee.{ana.pk}", "file": SimpleUploadedFile("a.pdf", PDF)}, **XHR)
    assert sent.status_code == 404
    stored = host_client(tenants.alfa_host, users_a["rrhh"]).post(
        "/documentos/subir/", {"key": f"hr.employee.{ana.pk}", "file": SimpleUploadedFile("nomina.pdf", PDF)}, **XHR)
    assert stored.status_code == 201
    assert api_client(tenants, "comercial").get("/api/v1/documents/").json()["results"] == []
    assert [r["title"] for r in api_client(tenants, "rrhh").get("/api/v1/documents/").json()["results"]] == ["nomina"]
