"""Catalog services: insurers with their contacts, products with their coverages (garantías) and
IPID, and the tax settings of a line. Keyword-only, atomic, audited, events on commit; the pages,
the API and the admin are thin doors into these functions.

Tariffs live in services/tariffs.py and commission agreements in services/agreements.py."""
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.es import cif as es_cif

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.core.services.records import record_create, record_update
from apps.insurance.choices import CoverageKind
from apps.insurance.models import Coverage, Insurer, InsurerContact, Line, Product

DGSFP_CODE = re.compile(r"^[A-Z]\d{4}$")
INSURER_FIELDS = ("name", "legal_name", "tax_id", "dgsfp_code", "portal_url", "phone", "email", "claims_phone",
                  "eiac_supported", "party", "is_active", "notes")
CONTACT_FIELDS = ("name", "role", "email", "phone")
PRODUCT_FIELDS = ("insurer", "line", "code", "name", "is_active", "ipid_summary", "ipid_exclusions",
                  "ipid_restrictions", "ipid_territory", "ipid_obligations", "ipid_payment", "ipid_term",
                  "ipid_cancellation")
COVERAGE_FIELDS = ("code", "name", "kind", "limit", "limit_text", "deductible", "description", "order")
# What staff may change on a line: its tax settings (and its name / active flag), never its code.
LINE_FIELDS = ("name", "ips_applies", "clea_applies", "consorcio_basis", "consorcio_rate", "is_active")


def _only(data: dict, allowed, what: str) -> dict:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({name: _("Campo desconocido para %(what)s.") % {"what": what} for name in unknown})
    return dict(data)


# --- Insurers ------------------------------------------------------------------------------------

def clean_cif(value: str) -> str:
    """The CIF compacted (no spaces or dashes, upper case) or a ValidationError saying why not."""
    compact = es_cif.compact(value or "")
    if not compact:
        raise ValidationError({"tax_id": _("Indique el CIF de la compañía.")})
    try:
        return es_cif.validate(compact)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError({"tax_id": _("El CIF %(cif)s no es válido: el dígito de control no cuadra.")
                               % {"cif": compact}}) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError({"tax_id": _("El CIF %(cif)s no es válido: debe ser una letra, siete dígitos y un "
                                           "carácter de control (p. ej. A28141935).") % {"cif": compact}}) from None


def clean_dgsfp_code(value: str) -> str:
    code = (value or "").strip().upper()
    if not DGSFP_CODE.match(code):
        raise ValidationError({"dgsfp_code": _("La clave DGSFP «%(code)s» no es válida: debe ser una letra y cuatro "
                                               "dígitos, p. ej. C0058 o M0083.") % {"code": value or ""}})
    return code


def _clean_insurer(data: dict) -> dict:
    data = _only(data, INSURER_FIELDS, _("la compañía"))
    errors = {}
    for name, cleaner in (("tax_id", clean_cif), ("dgsfp_code", clean_dgsfp_code)):
        if name in data:
            try:
                data[name] = cleaner(data[name])
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if data.get("portal_url"):
        url = data["portal_url"].strip()
        if not url.lower().startswith("https://") and not url.lower().startswith("http://"):
            errors["portal_url"] = [_("El portal de mediadores debe ser una dirección web completa (https://…).")]
        data["portal_url"] = url
    if errors:
        raise ValidationError(errors)
    return data


def _clean_contacts(contacts: list[dict]) -> list[dict]:
    errors, cleaned = {}, []
    for index, contact in enumerate(contacts):
        contact = {name: (contact.get(name) or "").strip() for name in CONTACT_FIELDS}
        if not contact["name"]:
            errors[f"contacts-{index}-name"] = [_("Indique el nombre del contacto.")]
        cleaned.append(contact)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _contacts_snapshot(insurer) -> list[str]:
    return [f"{c.name} ({c.role})" if c.role else c.name for c in insurer.contacts.order_by("name", "pk")]


@transaction.atomic
def insurer_contacts_set(*, actor, insurer: Insurer, contacts: list[dict]) -> list[InsurerContact]:
    """Replaces the insurer's contacts with `contacts` (dicts of name, role, email, phone)."""
    cleaned = _clean_contacts(contacts)
    before = _contacts_snapshot(insurer)
    insurer.contacts.all().delete()
    rows = []
    for contact in cleaned:
        row = InsurerContact(insurer=insurer, **contact)
        row.full_clean()
        rows.append(row)
    InsurerContact.objects.bulk_create(rows)
    after = _contacts_snapshot(insurer)
    if before != after:
        audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=insurer, changes={"contactos": [before, after]})
        publish("insurance.insurer.updated", pk=insurer.pk, fields=["contacts"])
    return rows


@transaction.atomic
def insurer_create(*, actor, data: dict, contacts: list[dict] | None = None) -> Insurer:
    insurer = record_create(actor=actor, model=Insurer, data=_clean_insurer(data))
    if contacts:
        insurer_contacts_set(actor=actor, insurer=insurer, contacts=contacts)
    return insurer


@transaction.atomic
def insurer_update(*, actor, insurer: Insurer, data: dict, contacts: list[dict] | None = None,
                   expected_version: int | None = None) -> Insurer:
    """Changes the insurer's fields in `data`; `contacts` (when given) replaces its contacts."""
    insurer = record_update(actor=actor, instance=insurer, data=_clean_insurer(data), expected_version=expected_version)
    if contacts is not None:
        insurer_contacts_set(actor=actor, insurer=insurer, contacts=contacts)
    return insurer


# --- Products and coverages -----------------------------------------------------------------------

def _decimal(value, field: str, errors: dict, label: str):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("%(label)s debe ser un importe.") % {"label": label}]
        return None
    if number < 0:
        errors[field] = [_("%(label)s no puede ser negativo.") % {"label": label}]
    return number


def clean_coverages(coverages: list[dict]) -> list[dict]:
    """Validated coverage rows; errors keyed "coverages-<n>-<field>" like a formset's."""
    errors, cleaned, seen = {}, [], {}
    for index, row in enumerate(coverages):
        unknown = set(row) - set(COVERAGE_FIELDS) - {"id"}
        for name in sorted(unknown):
            errors[f"coverages-{index}-{name}"] = [_("Campo desconocido para una garantía.")]
        prefix = f"coverages-{index}-"
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        if not code:
            errors[prefix + "code"] = [_("Indique el código de la garantía.")]
        elif code in seen:
            errors[prefix + "code"] = [_("El código «%(code)s» está repetido en las garantías del producto (filas "
                                         "%(first)s y %(second)s).") % {"code": code, "first": seen[code] + 1,
                                                                       "second": index + 1}]
        else:
            seen[code] = index
        if not name:
            errors[prefix + "name"] = [_("Indique el nombre de la garantía.")]
        kind = row.get("kind") or CoverageKind.INCLUDED
        if kind not in CoverageKind.values:
            errors[prefix + "kind"] = [_("La inclusión debe ser «incluida» u «opcional».")]
        limit = _decimal(row.get("limit"), prefix + "limit", errors, _("El capital o límite"))
        deductible = _decimal(row.get("deductible"), prefix + "deductible", errors, _("La franquicia"))
        cleaned.append({
            "code": code, "name": name, "kind": kind, "limit": limit,
            "limit_text": (row.get("limit_text") or "").strip(), "deductible": deductible or Decimal("0"),
            "description": (row.get("description") or "").strip(),
            "order": int(row["order"]) if row.get("order") not in (None, "") else index,
        })
    if errors:
        raise ValidationError(errors)
    return cleaned


def _coverages_snapshot(product) -> list[str]:
    return [f"{c.code}: {c.name} · {c.get_kind_display()} · {c.limit if c.limit is not None else c.limit_text} · "
            f"{c.deductible}" for c in product.coverages.order_by("order", "code")]


@transaction.atomic
def product_coverages_set(*, actor, product: Product, coverages: list[dict]) -> list[Coverage]:
    """Replaces the product's garantías with `coverages` (codes unique, limit and deductible ≥ 0)."""
    cleaned = clean_coverages(coverages)
    before = _coverages_snapshot(product)
    product.coverages.all().delete()
    rows = [Coverage(product=product, **row) for row in cleaned]
    for row in rows:
        row.full_clean(exclude=["product"], validate_unique=False, validate_constraints=False)
    Coverage.objects.bulk_create(rows)
    after = _coverages_snapshot(product)
    if before != after:
        audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=product, changes={"garantías": [before, after]})
        publish("insurance.product.updated", pk=product.pk, fields=["coverages"])
    return rows


def _clean_product(data: dict, instance: Product | None = None) -> dict:
    data = _only(data, PRODUCT_FIELDS, _("el producto"))
    if "code" in data:
        data["code"] = (data["code"] or "").strip()
    insurer = data.get("insurer", instance.insurer if instance else None)
    code = data.get("code", instance.code if instance else "")
    if insurer is not None and code:
        clash = Product.objects.filter(insurer=insurer, code__iexact=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ValidationError({"code": _("%(insurer)s ya tiene un producto con el código «%(code)s».")
                                   % {"insurer": insurer, "code": code}})
    return data


@transaction.atomic
def product_create(*, actor, data: dict, coverages: list[dict] | None = None) -> Product:
    product = record_create(actor=actor, model=Product, data=_clean_product(data))
    if coverages:
        product_coverages_set(actor=actor, product=product, coverages=coverages)
    return product


@transaction.atomic
def product_update(*, actor, product: Product, data: dict, coverages: list[dict] | None = None,
                   expected_version: int | None = None) -> Product:
    """Changes the product's fields in `data`; `coverages` (when given) replaces the whole set."""
    product = record_update(actor=actor, instance=product, data=_clean_product(data, product),
                            expected_version=expected_version)
    if coverages is not None:
        product_coverages_set(actor=actor, product=product, coverages=coverages)
    return product


# --- Lines ----------------------------------------------------------------------------------------

@transaction.atomic
def line_update(*, actor, line: Line, data: dict, expected_version: int | None = None) -> Line:
    """The tax settings of a line (IPS, CLEA, Consorcio basis and rate). The code, DGSFP class and
    life flag come from the line app and are not edited here."""
    data = _only(data, LINE_FIELDS, _("el ramo"))
    basis = data.get("consorcio_basis", line.consorcio_basis)
    rate = data.get("consorcio_rate", line.consorcio_rate)
    if rate is not None and Decimal(str(rate)) < 0:
        raise ValidationError({"consorcio_rate": _("El recargo del Consorcio no puede ser negativo.")})
    if basis == "percent" and Decimal(str(rate or 0)) > 100:
        raise ValidationError({"consorcio_rate": _("Un porcentaje de la prima no puede pasar de 100.")})
    return record_update(actor=actor, instance=line, data=data, expected_version=expected_version)


# --- IPID as PDF ----------------------------------------------------------------------------------

IPID_PDF_TEMPLATE = "insurance/catalog/ipid_pdf.html"


def _no_remote(uri, rel):
    """xhtml2pdf link callback: nothing outside the document is loaded."""
    return ""


def ipid_pdf(product: Product) -> bytes:
    """The product's IPID as a PDF (xhtml2pdf, A4), from the same data as the printable page."""
    from io import BytesIO

    from django.template.loader import render_to_string
    from django.utils import timezone
    from xhtml2pdf import pisa

    from apps.core.errors import DomainError
    from apps.insurance.selectors_catalog import ipid_context

    context = ipid_context(product)
    context["generated"] = timezone.localdate()
    buffer = BytesIO()
    result = pisa.CreatePDF(render_to_string(IPID_PDF_TEMPLATE, context), dest=buffer, encoding="utf-8",
                            link_callback=_no_remote)
    if result.err:
        raise DomainError(_("No se pudo generar el PDF del IPID de %s.") % product, code="ipid_pdf_failed")
    return buffer.getvalue()


def ipid_pdf_filename(product: Product) -> str:
    from django.utils.text import slugify

    return f"ipid-{slugify(product.insurer.name)}-{slugify(product.code)}.pdf"
