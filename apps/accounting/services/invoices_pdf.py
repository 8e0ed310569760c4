"""The invoice as a PDF: an HTML template with the brokerage's data rendered by xhtml2pdf.

Nothing remote is fetched: the template carries its own styles and the link callback refuses
every URL, so a PDF never depends on the network or leaks a request.
"""
from decimal import Decimal
from io import BytesIO

from django.db import connection
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from xhtml2pdf import pisa

from apps.accounting.choices import InvoiceKind, InvoiceState, TaxKind
from apps.accounting.errors import AccountingError
from apps.accounting.services.invoices import RECTIFICATION_CODES
from apps.accounting.services.invoices_lines import compute_totals
from apps.core.money import format_eur

TEMPLATE = "accounting/invoices/pdf.html"


def es_number(value, places: int = 2, max_places: int | None = None) -> str:
    """1234.5 -> '1.234,50' (es-ES, always with a point for thousands); between `places` and
    `max_places` decimals, trailing zeros dropped beyond `places`."""
    value = Decimal(value)
    max_places = places if max_places is None else max_places
    text = f"{abs(value):.{max_places}f}"
    integer, _sep, decimals = text.partition(".")
    while len(decimals) > places and decimals.endswith("0"):
        decimals = decimals[:-1]
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    sign = "-" if value < 0 and (text.strip("0.") or "") else ""
    return f"{sign}{'.'.join(groups)}{',' + decimals if decimals else ''}"


def _quantity(value) -> str:
    return es_number(value, 0, 3)


def _vat_label(tax) -> str:
    if tax is None:
        return ""
    if tax.kind == TaxKind.VAT_EXEMPT:
        return _("Exento (%s)") % tax.exemption_cause if tax.exemption_cause else _("Exento")
    return f"{es_number(tax.rate, 0, 2)} %"


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _brokerage() -> dict:
    tenant = getattr(connection, "tenant", None)
    return {"name": getattr(tenant, "name", ""), "tax_id": getattr(tenant, "tax_id", ""),
            "dgsfp_code": getattr(tenant, "dgsfp_code", "")}


def _address(party) -> str:
    address = party.addresses.order_by("-is_primary", "pk").first()
    if address is None:
        return ""
    return f"{address.street}, {address.postal_code} {address.city} ({address.get_province_display()})"


def invoice_pdf_context(invoice) -> dict:
    lines = list(invoice.lines.select_related("vat", "surcharge", "withholding").order_by("line_no"))
    totals = compute_totals(lines)
    legal = []
    for row in totals.summary:
        if row.tax.kind == TaxKind.VAT_EXEMPT and row.tax.legal_text and row.tax.legal_text not in legal:
            legal.append(row.tax.legal_text)
    rows = [{
        "description": line.description, "quantity": _quantity(line.quantity),
        "unit_price": f"{es_number(line.unit_price, 2, 4)} €",
        "discount": f"{es_number(line.discount, 0, 2)} %" if line.discount else "",
        "vat": _vat_label(line.vat), "base": format_eur(line.base),
    } for line in lines]
    summary = [{"name": row.tax.name, "kind": row.tax.kind, "base": format_eur(row.base),
                "amount": format_eur(row.amount) if row.tax.kind != TaxKind.VAT_EXEMPT else "—"}
               for row in totals.summary]
    rectifies = invoice.rectifies
    return {
        "invoice": invoice, "brokerage": _brokerage(), "party_address": _address(invoice.party),
        "is_draft": invoice.state == InvoiceState.DRAFT, "rows": rows, "summary": summary, "legal": legal,
        "title": _("Factura rectificativa") if rectifies else _("Factura"),
        "number": invoice.full_number or _("BORRADOR"),
        "issue_date": _date(invoice.issue_date), "operation_date": _date(invoice.operation_date),
        "due_date": _date(invoice.due_date),
        "rectifies": {"number": rectifies.full_number, "date": _date(rectifies.issue_date),
                      "code": RECTIFICATION_CODES.get(invoice.rectification_code, invoice.rectification_code),
                      "reason": invoice.rectification_reason} if rectifies else None,
        "totals": {"base": format_eur(totals.base_total), "vat": format_eur(totals.vat_total),
                   "surcharge": format_eur(totals.surcharge_total) if totals.surcharge_total else "",
                   "withholding": format_eur(-totals.withholding_total) if totals.withholding_total else "",
                   "total": format_eur(totals.total)},
    }


def invoice_pdf_html(invoice) -> str:
    if invoice.kind != InvoiceKind.ISSUED:
        raise AccountingError(_("Las facturas recibidas las emite el proveedor: no se genera su PDF."))
    return render_to_string(TEMPLATE, invoice_pdf_context(invoice))


def _no_remote(uri, rel):
    """xhtml2pdf link callback: nothing outside the document is loaded."""
    return ""


def invoice_pdf(invoice) -> bytes:
    buffer = BytesIO()
    result = pisa.CreatePDF(invoice_pdf_html(invoice), dest=buffer, encoding="utf-8", link_callback=_no_remote)
    if result.err:
        raise AccountingError(_("No se pudo generar el PDF de la factura %s.") % invoice)
    return buffer.getvalue()


def invoice_pdf_filename(invoice) -> str:
    return f"factura-{invoice.full_number or f'borrador-{invoice.pk}'}.pdf".replace("/", "-")
