"""Generated documents (issue 11 item 3): the PDF of each of the six templates carries the record's data
(read back from the PDF with pypdf) and the brokerage's letterhead; a template the brokerage edited is used
instead of the shipped one and every revision is kept; a template with a forbidden tag is refused with a
clear message and not saved; the generated file is stored as a document of its record; a mail merge over a
three-party segment stores three letters and e-mails the one party who consented."""
import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from apps.crm.models import ContactPoint, Party
from apps.crm.services.consents import consent_grant
from apps.crm.services.segments import segment_create
from apps.documents.models import DocumentTemplate, DocumentTemplateRevision
from apps.documents.services.generation import document_generate, document_render_html, document_render_pdf
from apps.documents.services.generation_kinds import record_key
from apps.documents.services.mail_merge import mail_merge
from apps.documents.services.template_sandbox import TemplateRefused
from apps.documents.services.templates import (
    document_template_reset, document_template_restore, document_template_save, template_source,
)
from apps.insurance.choices import PaymentFrequency
from tests.collections.conftest import coll_books, coll_catalog, coll_holder, coll_line, issued_policy  # noqa: F401
from tests.collections.test_settlements_support import FEB_1, FEB_28, collected_case, settle_case  # noqa: F401
from tests.documents.generation_support import documents_of, pdf_text
from tests.hr.conftest import hr_centre, hr_department, hr_people  # noqa: F401
from tests.insurance.test_quote_support import EFFECTIVE, RISK, catalog, client_party, qline  # noqa: F401

D = Decimal
PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5c4e2b60000000049454e44ae426082")


@pytest.fixture(autouse=True)
def _files_in_tmp(media):  # noqa: PT004 - generated files go to a temporary MEDIA_ROOT (tests/documents/conftest.py)
    return media



@pytest.fixture
def annual_policy(issued_policy, coll_holder):
    from apps.crm.models import Address, BankAccount

    Address.objects.create(party=coll_holder, street="Calle Mayor 5", postal_code="28013", city="Madrid",
                           province="28", is_primary=True)
    BankAccount.objects.create(party=coll_holder, iban="ES9121000418450200051332", is_primary=True)
    return issued_policy(net=D("1200.00"), frequency=PaymentFrequency.ANNUAL, number="CV-7781")


def test_policy_certificate_carries_the_policy_and_the_letterhead(annual_policy):
    text = pdf_text(document_render_pdf(template_code="policy_certificate", record=annual_policy))
    for expected in ("Certificado de seguro", "CV-7781", "Marta Ortega Ruiz", "11111111H", "Vida Colectiva Seguros",
                     "01/01/2026", "1.200,00 €", "Calle Mayor 5", connection.tenant.name, connection.tenant.tax_id):
        assert expected in text, expected


def test_receipt_carries_period_amounts_due_date_and_the_masked_iban(annual_policy):
    receipt = annual_policy.receipts.get()
    text = pdf_text(document_render_pdf(template_code="receipt", record=receipt))
    for expected in (receipt.number, "01/01/2026", "31/12/2026", "1.200,00 €", "ES** **** **** **** **** 1332"):
        assert expected in text, expected
    assert "0418450200051332" not in text  # never the whole account


def test_quote_comparison_carries_the_ranked_options(catalog, client_party, admin_a):  # noqa: F811
    from apps.insurance.services.quotes import quote_create

    quote = quote_create(actor=admin_a, client=client_party, line_code="qtest", risk=dict(RISK),
                         effective_date=EFFECTIVE)
    text = pdf_text(document_render_pdf(template_code="quote_comparison", record=quote))
    for expected in (quote.number, "Lucía Prieto Gómez", "130,78 €", "141,60 €", "163,23 €", "Gamma Vida",
                     "Recomendada", "Delta Seguros"):
        assert expected in text, expected


def test_invoice_carries_number_party_and_total(coll_books, admin_a):  # noqa: F811
    from apps.accounting.services.invoices import invoice_issue
    from apps.crm.services.parties import party_create

    insurer = party_create(actor=None, data={"kind": "company", "company_name": "Aseguradora Atlántica SA",
                                             "tax_id": "A08169294"})
    invoice = invoice_issue(actor=admin_a, kind="issued", party=insurer, issue_date=datetime.date(2026, 3, 15), lines=[
        {"description": "Comisiones de mediación", "unit_price": "1000.00", "vat": "EXENTO20"}])
    text = pdf_text(document_render_pdf(template_code="invoice", record=invoice))
    for expected in (invoice.full_number, "Aseguradora Atlántica SA", "A08169294", "1.000,00 €", "15/03/2026",
                     "Comisiones de mediación"):
        assert expected in text, expected


def test_settlement_statement_carries_the_issue_numbers(collected_case, admin_a):  # noqa: F811
    from apps.collections.services.settlements import settlement_close

    settlement = settlement_close(actor=admin_a, insurer=collected_case["insurer"], period_start=FEB_1,
                                  period_end=FEB_28, date=datetime.date(2026, 3, 5))
    text = pdf_text(document_render_pdf(template_code="settlement_statement", record=settlement))
    for expected in (settlement.number, "Vida Colectiva Seguros", "CV-A", "CV-B", "1.000,00 €", "750,00 €"):
        assert expected in text, expected


def test_payslip_carries_the_employee_and_the_net(hr_people, users_a, coll_books):  # noqa: F811
    from apps.hr.services.payroll import payroll_run_calculate

    run = payroll_run_calculate(actor=users_a["rrhh"], year=2026, month=3, payment_date=datetime.date(2026, 3, 31))
    slip = run.payslips.get(employee=hr_people["ana"])
    text = pdf_text(document_render_pdf(template_code="payslip", record=slip))
    for expected in ("Martínez Ruiz, Ana", "23456789D", "01/03/2026", "31/03/2026", "1.378,58"):
        assert expected in text, expected


def test_the_logo_is_embedded_as_a_data_uri(annual_policy, admin_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.documents.services.letterhead import letterhead_update

    letterhead_update(actor=admin_a, address="Paseo de la Castellana 1, 28046 Madrid",
                      logo=SimpleUploadedFile("logo.png", PNG_1PX, content_type="image/png"))
    html = document_render_html(template_code="policy_certificate", record=annual_policy)
    assert 'src="data:image/png;base64,' in html and "Paseo de la Castellana 1" in html
    assert "http://" not in html and "https://" not in html
    assert document_render_pdf(template_code="policy_certificate", record=annual_policy).startswith(b"%PDF")
    with pytest.raises(TemplateRefused, match="PNG, JPEG o GIF"):
        letterhead_update(actor=admin_a, logo=SimpleUploadedFile("logo.png", b"MZ\x90\x00 not an image"))


def test_an_edited_template_is_used_and_every_revision_is_kept(annual_policy, admin_a):
    first = "<html><body><p>Certificado propio {{ policy.number }} de {{ brokerage.name }}</p></body></html>"
    document_template_save(actor=admin_a, code="policy_certificate", body=first, note="Primera")
    html = document_render_html(template_code="policy_certificate", record=annual_policy)
    assert f"Certificado propio CV-7781 de {connection.tenant.name}" in html
    assert "Certificado propio CV-7781" in pdf_text(document_render_pdf(template_code="policy_certificate",
                                                                         record=annual_policy))
    document_template_save(actor=admin_a, code="policy_certificate", body=first.replace("propio", "nuevo"),
                           expected_revision=1)
    restored = document_template_restore(actor=admin_a, code="policy_certificate", number=1)
    assert restored.revision == 3 and restored.body == first
    numbers = DocumentTemplateRevision.objects.filter(template=restored).values_list("number", flat=True)
    assert list(numbers) == [3, 2, 1]
    with pytest.raises(Exception, match="Otra persona guardó la plantilla"):
        document_template_save(actor=admin_a, code="policy_certificate", body=first, expected_revision=1)
    document_template_reset(actor=admin_a, code="policy_certificate")
    assert "Certificado de seguro" in document_render_html(template_code="policy_certificate", record=annual_policy)
    assert DocumentTemplateRevision.objects.filter(template=restored).count() == 4
    # Other brokerages keep the shipped template: the row lives in this brokerage's schema only.
    assert template_source("receipt").startswith("<!doctype html>")


@pytest.mark.parametrize("body, tag", [
    ("{% load static %}<p>{% static 'x.png' %}</p>", "load"),
    ('<p>{% include "/etc/passwd" %}</p>', "include"),
    ('{% extends "base.html" %}', "extends"),
    ("<p>{% debug %}</p>", "debug"),
    ("<p>{% url 'admin:index' %}</p>", "url"),
])
def test_a_forbidden_tag_is_refused_and_nothing_is_saved(tenant_a, admin_a, body, tag):
    with pytest.raises(TemplateRefused) as refused:
        document_template_save(actor=admin_a, code="receipt", body=body)
    assert f"La etiqueta {{% {tag} %}}" in refused.value.message and "no está permitida" in refused.value.message
    assert not DocumentTemplate.objects.exists() and not DocumentTemplateRevision.objects.exists()


def test_a_broken_template_is_refused_with_the_reason(tenant_a, admin_a):
    with pytest.raises(TemplateRefused, match="no es válida"):
        document_template_save(actor=admin_a, code="receipt", body="<p>{% if %}</p>")
    assert not DocumentTemplate.objects.exists()


def test_the_template_never_sees_a_model_instance(annual_policy, admin_a):
    """Relations cannot be walked from a template: the context is plain data."""
    body = "<p>[{{ policy.number }}][{{ holder.name }}][{{ policy.policyholder.account_manager.password }}]</p>"
    document_template_save(actor=admin_a, code="policy_certificate", body=body)
    html = document_render_html(template_code="policy_certificate", record=annual_policy)
    assert "[CV-7781][Marta Ortega Ruiz][]" in html


def test_the_generated_document_is_stored_on_its_record(annual_policy, admin_a):
    document = document_generate(actor=admin_a, template_code="policy_certificate", record=annual_policy)
    assert document.record_key == record_key(annual_policy) == f"insurance.policy.{annual_policy.pk}"
    assert document.current_version.mime_type == "application/pdf" and document.current_version.size > 1000
    assert [doc.pk for doc in documents_of(annual_policy)] == [document.pk]
    assert "CV-7781" in document.title
    again = document_generate(actor=admin_a, template_code="policy_certificate", record=annual_policy)
    assert again.pk == document.pk and list(again.versions.values_list("number", flat=True)) == [2, 1]


def test_a_document_for_the_wrong_kind_of_record_is_refused(annual_policy, admin_a):
    with pytest.raises(TemplateRefused, match="no se genera para"):
        document_generate(actor=admin_a, template_code="receipt", record=annual_policy)
    assert documents_of(annual_policy) == []


def test_mail_merge_over_a_three_party_segment_stores_three_letters(tenant_a, admin_a):
    from apps.crm.models import Tag

    tag = Tag.objects.create(name="Carta 2026")
    parties = []
    for first, last in (("Ana", "Ruiz"), ("Joan", "Puig"), ("Rosa", "Mora")):
        party = Party.objects.create(kind="person", first_name=first, last_name=last, display_name=f"{first} {last}")
        party.tags.add(tag)
        parties.append(party)
    ContactPoint.objects.create(party=parties[0], kind="email", value="ana@example.es", normalized="ana@example.es",
                                is_primary=True)
    consent_grant(actor=admin_a, party=parties[0], purpose="marketing", channel="email", evidence="Casilla web")
    segment = segment_create(actor=admin_a, data={"name": "Carta 2026", "filters": {"tags": [tag.pk]}})
    result = mail_merge(actor=admin_a, segment=segment, subject="Novedades para {{ nombre }}",
                        body_template="Estimada/o {{ nombre }}:\nLe informamos de las novedades de 2026.")
    assert result == {"segment": segment.pk, "parties": 3, "documents": 3, "emailed": 1, "no_consent": 2,
                      "no_email": 0, "failed": 0}
    for party in parties:
        stored = documents_of(party)
        assert len(stored) == 1 and stored[0].title == f"Novedades para {party.first_name}"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.es"]
    name, content, mime = mail.outbox[0].attachments[0]
    assert mime == "application/pdf" and "Estimada/o Ana:" in pdf_text(content)
