"""Pages and API of the generated documents: the template editor (list with a fixed number of queries, save,
refusal with the message and nothing saved, PDF preview of unsaved HTML, restore), «Generar PDF» on a
record's page (stores the document, back to the page; 404 for a record the user may not read), the
letterhead form, the mail-merge page, POST documents/generate/ and GET/PUT document-templates/."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.documents.models import DocumentTemplate
from apps.documents.services.templates import document_template_save
from apps.insurance.choices import PaymentFrequency
from tests.collections.conftest import coll_books, coll_catalog, coll_holder, coll_line, issued_policy  # noqa: F401
from tests.conftest import host_client
from tests.documents.generation_support import documents_of

BODY = "<html><body><p>Certificado a medida {{ policy.number }}</p></body></html>"


@pytest.fixture(autouse=True)
def _files_in_tmp(media):  # noqa: PT004 - generated files go to a temporary MEDIA_ROOT (tests/documents/conftest.py)
    return media



@pytest.fixture
def policy(issued_policy):  # noqa: F811
    return issued_policy(frequency=PaymentFrequency.ANNUAL, number="CV-5150")


@pytest.fixture
def boss(tenants, admin_a):
    return host_client(tenants.alfa_host, admin_a)


def test_the_list_shows_the_seven_templates_with_a_fixed_number_of_queries(boss, admin_a,
                                                                            django_assert_max_num_queries):
    boss.get("/documentos/plantillas/")
    with CaptureQueriesContext(connection) as few:
        html = boss.get("/documentos/plantillas/").content.decode()
    assert "Certificado de póliza" in html and "Nómina" in html and "Carta a cliente" in html and "De serie" in html
    for code in ("receipt", "invoice", "payslip"):
        document_template_save(actor=admin_a, code=code, body=f"<p>{code}</p>")
    with django_assert_max_num_queries(len(few)):
        assert "Propia (revisión 1)" in boss.get("/documentos/plantillas/").content.decode()


def test_a_role_without_the_permission_gets_403(tenants, users_a):
    cobros = host_client(tenants.alfa_host, users_a["cobros"])
    assert cobros.get("/documentos/plantillas/").status_code == 403
    assert cobros.get("/documentos/plantillas/receipt/").status_code == 403
    assert cobros.post("/documentos/plantillas/receipt/", {"body": BODY}).status_code == 403


def test_comercial_and_siniestros_file_documents_but_do_not_edit_the_brokerage_templates(users_a):
    for role in ("comercial", "siniestros"):
        user = users_a[role]
        assert user.has_perm("documents.add_document") and user.has_perm("documents.change_document")
        assert not user.has_perm("documents.change_documenttemplate")
    assert users_a["direccion"].has_perm("documents.change_documenttemplate")


def test_save_refuse_preview_and_restore_from_the_editor(boss, policy):
    page = boss.get("/documentos/plantillas/policy_certificate/").content.decode()
    assert "Certificado de seguro" in page and "CV-5150" in page  # the default's HTML and the sample record
    refused = boss.post("/documentos/plantillas/policy_certificate/", {"body": '{% include "/etc/passwd" %}'})
    assert refused.status_code == 400 and "no está permitida" in refused.content.decode()
    assert not DocumentTemplate.objects.exists()
    preview = boss.post("/documentos/plantillas/policy_certificate/vista-previa/", {"body": BODY, "sample": policy.pk})
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert preview.content.startswith(b"%PDF") and not DocumentTemplate.objects.exists()  # preview saves nothing
    no_sample = boss.post("/documentos/plantillas/policy_certificate/vista-previa/", {"body": BODY})
    assert no_sample.status_code == 400 and "Elija un registro de ejemplo" in no_sample.content.decode()
    saved = boss.post("/documentos/plantillas/policy_certificate/", {"body": BODY, "note": "A medida", "revision": 0})
    assert saved.status_code == 302 and DocumentTemplate.objects.get().revision == 1
    boss.post("/documentos/plantillas/policy_certificate/", {"body": BODY.replace("medida", "otra"), "revision": 1})
    assert boss.post("/documentos/plantillas/policy_certificate/revisiones/1/restaurar/").status_code == 302
    template = DocumentTemplate.objects.get()
    assert template.revision == 3 and template.body == BODY
    assert boss.post("/documentos/plantillas/policy_certificate/volver-a-serie/").status_code == 302
    assert DocumentTemplate.objects.get().uses_default
    admin_page = boss.get(f"/admin/documents/documenttemplate/{template.pk}/change/")
    assert admin_page.status_code == 200 and "Vuelta a la plantilla de serie" in admin_page.content.decode()
    assert boss.get("/documentos/plantillas/nada/").status_code == 404


def test_generate_button_stores_the_document_and_goes_back(boss, policy, tenants, users_a):
    page = boss.get(f"/seguros/polizas/{policy.pk}/").content.decode()
    assert f'action="/documentos/generar/policy_certificate/insurance.policy/{policy.pk}/"' in page
    response = boss.post(f"/documentos/generar/policy_certificate/insurance.policy/{policy.pk}/",
                         {"next": f"/seguros/polizas/{policy.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/seguros/polizas/{policy.pk}/"
    assert len(documents_of(policy)) == 1
    assert boss.post("/documentos/generar/policy_certificate/insurance.policy/999999/").status_code == 404
    assert boss.post(f"/documentos/generar/receipt/insurance.policy/{policy.pk}/").status_code == 404
    reader = host_client(tenants.alfa_host, users_a["contabilidad"])  # may view policies, not change them
    assert "/documentos/generar/" not in reader.get(f"/seguros/polizas/{policy.pk}/").content.decode()
    assert reader.post(f"/documentos/generar/policy_certificate/insurance.policy/{policy.pk}/").status_code == 403
    outsider = host_client(tenants.alfa_host, users_a["rrhh"])  # may not even view them
    assert outsider.post(f"/documentos/generar/policy_certificate/insurance.policy/{policy.pk}/").status_code == 404
    assert len(documents_of(policy)) == 1


def test_letterhead_form_refuses_a_file_that_is_not_an_image(boss):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = boss.post("/documentos/plantillas/membrete/", {
        "address": "Calle Alcalá 10, Madrid", "logo": SimpleUploadedFile("logo.png", b"MZ\x90 not an image")},
        follow=True)
    assert response.status_code == 200 and "imagen" in response.content.decode()
    from apps.tenancy.models import Tenant

    tenant = Tenant.objects.get(schema_name=connection.schema_name)
    assert tenant.address == "" and not tenant.logo


def test_mail_merge_page_starts_a_job(boss, admin_a):
    from apps.crm.services.segments import segment_create
    from apps.jobs.models import JobRun

    segment = segment_create(actor=admin_a, data={"name": "Todos", "filters": {}})
    bad = boss.post("/documentos/combinar/", {"segment": segment.pk, "subject": "Hola",
                                              "body_template": "{% load x %}"})
    assert bad.status_code == 400 and "no está permitida" in bad.content.decode() and not JobRun.objects.exists()
    response = boss.post("/documentos/combinar/", {"segment": segment.pk, "subject": "Hola {{ nombre }}",
                                                   "body_template": "Texto para {{ nombre }}", "send_email": "on"})
    job = JobRun.objects.get()
    assert response.status_code == 302 and job.params["segment_id"] == segment.pk


def test_api_generate_and_templates(tenants, api_token_a, policy):
    from django.test import Client

    api = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    kinds = {row["template_code"]: row["records"] for row in api.get("/api/v1/documents/generate/").json()}
    assert kinds["settlement_statement"] == ["collections.settlement", "collections.collaboratorsettlement"]
    assert len(kinds) == 7 and kinds["payslip"] == ["hr.payslip"]
    created = api.post("/api/v1/documents/generate/", {"template_code": "policy_certificate",
                                                       "key": f"insurance.policy.{policy.pk}"},
                       content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["key"] == f"insurance.policy.{policy.pk}" and len(documents_of(policy)) == 1
    missing = api.post("/api/v1/documents/generate/", {"template_code": "receipt", "key": "collections.receipt.99999"},
                       content_type="application/json")
    assert missing.status_code == 404
    listed = api.get("/api/v1/document-templates/").json()
    assert [row["code"] for row in listed][:2] == ["policy_certificate", "receipt"] and not listed[0]["is_custom"]
    refused = api.put("/api/v1/document-templates/receipt/", {"body": "{% load static %}"},
                      content_type="application/json")
    assert refused.status_code == 400 and "no está permitida" in refused.content.decode()
    saved = api.put("/api/v1/document-templates/receipt/", {"body": "<p>{{ receipt.number }}</p>", "revision": 0},
                    content_type="application/json")
    assert saved.status_code == 200 and saved.json()["is_custom"] and saved.json()["revision"] == 1
    assert api.get("/api/v1/document-templates/receipt/").json()["body"] == "<p>{{ receipt.number }}</p>"
