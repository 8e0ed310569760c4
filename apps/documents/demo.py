"""Demo documents for the demo brokerage (runs after the CRM, insurance and claims demos): the usual
categories (DNI/NIE with expiry reminders, Póliza, Recibo, Siniestro - fotos, Contrato, Factura) and a few
small files made in memory: the ID of some clients (one expiring within the month), the particular conditions
of some policies and photos of some claims. Idempotent: categories by code; files only while there are none."""
import datetime

from django.db import transaction
from django.utils import timezone

from aitcore.registry import registry

# code, name, retention (years), expiry reminder (days), records it applies to
CATEGORIES = [
    ("dni-nie", "DNI/NIE", 6, 60, ["crm.party", "hr.employee"]),
    ("poliza", "Póliza", 10, 30, ["insurance.policy", "insurance.quote"]),
    ("recibo", "Recibo", 6, 30, ["collections.receipt"]),
    ("siniestro-fotos", "Siniestro - fotos", 6, 30, ["claims.claim"]),
    ("contrato", "Contrato", 10, 30, []),
    ("factura", "Factura", 6, 30, []),
]
PARTIES, POLICIES, CLAIMS = 4, 4, 3


def categories_seed() -> int:
    from apps.documents.models import DocumentCategory

    made = 0
    for code, name, years, days, kinds in CATEGORIES:
        _row, created = DocumentCategory.objects.get_or_create(code=code, defaults={
            "name": name, "retention_years": years, "expiry_reminder_days": days, "record_kinds": kinds})
        made += created
    return made


def _files(admin, today: datetime.date) -> int:
    from apps.claims.models import Claim
    from apps.crm.models import Party
    from apps.documents.access import record_key_of
    from apps.documents.samples import sample_pdf, sample_png
    from apps.documents.services.documents import document_store_bytes
    from apps.insurance.models import Policy

    made = 0
    for n, party in enumerate(Party.objects.filter(tax_id__isnull=False).exclude(tax_id="").order_by("pk")[:PARTIES]):
        expires = today + datetime.timedelta(days=20 if n == 0 else 400 + 90 * n)
        pdf = sample_pdf(["DOCUMENTO NACIONAL DE IDENTIDAD (copia)", f"Titular: {party}", f"NIF: {party.tax_id}",
                          f"Válido hasta: {expires:%d/%m/%Y}"])
        document_store_bytes(actor=admin, key=record_key_of(party), filename=f"dni-{party.tax_id}.pdf",
                             content=pdf, title=f"DNI/NIE de {party}", category_code="dni-nie", expires_on=expires)
        made += 1
    for policy in Policy.objects.select_related("policyholder").order_by("pk")[:POLICIES]:
        pdf = sample_pdf(["CONDICIONES PARTICULARES", f"Póliza {policy.number}", f"Tomador: {policy.policyholder}",
                          f"Efecto: {policy.start_date:%d/%m/%Y}" if policy.start_date else ""])
        document_store_bytes(actor=admin, key=record_key_of(policy), filename=f"poliza-{policy.number}.pdf",
                             content=pdf, title=f"Condiciones particulares {policy.number}", category_code="poliza")
        made += 1
    for n, claim in enumerate(Claim.objects.order_by("pk")[:CLAIMS]):
        for photo, colour in enumerate(((180, 60, 40), (90, 90, 90))[:1 + n % 2], start=1):
            document_store_bytes(actor=admin, key=record_key_of(claim), filename=f"foto-{photo}.png",
                                 content=sample_png(64, 48, colour), title=f"Foto {photo} del siniestro {claim.number}",
                                 category_code="siniestro-fotos")
            made += 1
    return made


def documents_demo_seed(*, admin, today: datetime.date | None = None) -> dict:
    from apps.documents.models import Document

    done = {}
    with transaction.atomic():
        done["document_categories"] = categories_seed()
    if not Document.all_objects.exists():
        with transaction.atomic():
            done["documents"] = _files(admin, today or timezone.localdate())
    return done


registry.register_demo_seeder(documents_demo_seed)
