"""Libros registro de IVA and the VAT groups the 303 and 390 are built from.

The source is the validated invoices (state «validated»), never the entries: the books must
show invoice by invoice what was charged and borne, with the counterparty's name and NIF as
printed on the invoice. Rectifying invoices carry negative amounts and stay in their own rows.

Dates: an issued invoice goes to the period of its issue date; a received invoice to the
period it is registered in (its accounting date, by default its issue date), which is when
its VAT is deducted (art. 99 LIVA) and when it is entered in the received-invoices book.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, DateField, ExpressionWrapper, F, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounting.choices import InvoiceKind, InvoiceState, TaxKind
from apps.accounting.models import Invoice, InvoiceLine, Tax

ZERO = Decimal("0.00")


def book_date(prefix: str = ""):
    """The date an invoice counts for in the VAT books and returns (see the module docstring)."""
    return Case(
        When(**{f"{prefix}kind": InvoiceKind.RECEIVED},
             then=Coalesce(F(f"{prefix}accounting_date"), F(f"{prefix}issue_date"))),
        default=F(f"{prefix}issue_date"), output_field=DateField())


def _taxes() -> dict[int, Tax]:
    return {tax.pk: tax for tax in Tax.objects.all()}


@dataclass
class VatGroup:
    """The sum of the lines of one kind of invoice that share VAT and surcharge codes."""

    kind: str
    rectifying: bool
    vat: Tax | None
    surcharge: Tax | None
    base: Decimal = ZERO
    vat_amount: Decimal = ZERO
    surcharge_amount: Decimal = ZERO
    invoices: set = field(default_factory=set)


def vat_groups(*, date_from, date_to) -> list[VatGroup]:
    """Validated invoice lines of the period summed per (kind, rectifying, VAT, surcharge). Two queries."""
    rows = (InvoiceLine.objects
            .filter(invoice__state=InvoiceState.VALIDATED)
            .annotate(book_date=book_date("invoice__"),
                      rectifying=ExpressionWrapper(Q(invoice__rectifies__isnull=False), output_field=BooleanField()))
            .filter(book_date__gte=date_from, book_date__lte=date_to)
            .values("invoice__kind", "rectifying", "vat_id", "surcharge_id")
            .annotate(base=Sum("base"), vat_amount=Sum("vat_amount"), surcharge_amount=Sum("surcharge_amount"))
            .order_by("invoice__kind", "rectifying", "vat_id", "surcharge_id"))
    taxes = _taxes()
    return [VatGroup(kind=row["invoice__kind"], rectifying=row["rectifying"], vat=taxes.get(row["vat_id"]),
                     surcharge=taxes.get(row["surcharge_id"]), base=row["base"] or ZERO,
                     vat_amount=row["vat_amount"] or ZERO, surcharge_amount=row["surcharge_amount"] or ZERO)
            for row in rows]


# --- Libros registro -----------------------------------------------------------------------------

BOOK_TITLES = {InvoiceKind.ISSUED: gettext_lazy("Libro registro de facturas expedidas"),
               InvoiceKind.RECEIVED: gettext_lazy("Libro registro de facturas recibidas")}


def _cause(vat: Tax | None) -> str:
    if vat is None:
        return _("No sujeta")
    if vat.kind == TaxKind.VAT_EXEMPT:
        return vat.exemption_cause or "E6"
    return ""


def vat_book(*, kind: str, date_from, date_to) -> dict:
    """The rows of a VAT book: one per invoice and VAT/surcharge rate, in date order. Three queries.

    Each row: date (book date), issue_date, number (the invoice's), registration (received:
    our registration number), party_name, party_tax_id, base, rate, vat_amount, surcharge_rate,
    surcharge_amount, withholding, total (on the first row of each invoice), exempt_cause,
    rectifies (the rectified invoice's number) and invoice_id.
    """
    invoices = list(
        Invoice.objects.filter(kind=kind, state=InvoiceState.VALIDATED)
        .annotate(book_date=book_date())
        .filter(book_date__gte=date_from, book_date__lte=date_to)
        .values("pk", "book_date", "issue_date", "full_number", "year", "number", "series__code", "party_name",
                "party_tax_id", "total", "rectifies__full_number", "rectification_code")
        .order_by("book_date", "year", "number", "pk"))
    lines = (InvoiceLine.objects.filter(invoice_id__in=[inv["pk"] for inv in invoices])
             .values("invoice_id", "vat_id", "surcharge_id")
             .annotate(base=Sum("base"), vat_amount=Sum("vat_amount"), surcharge_amount=Sum("surcharge_amount"),
                       withholding=Sum("withholding_amount"))
             .order_by("invoice_id", "vat_id", "surcharge_id")) if invoices else []
    taxes = _taxes() if invoices else {}
    by_invoice = defaultdict(list)
    for line in lines:
        by_invoice[line["invoice_id"]].append(line)
    rows = []
    totals = {"base": ZERO, "vat_amount": ZERO, "surcharge_amount": ZERO, "withholding": ZERO, "total": ZERO}
    for invoice in invoices:
        groups = sorted(by_invoice.get(invoice["pk"], []),
                        key=lambda g: -(taxes[g["vat_id"]].rate if g["vat_id"] else Decimal(-1)))
        for index, group in enumerate(groups):
            vat, surcharge = taxes.get(group["vat_id"]), taxes.get(group["surcharge_id"])
            row = {
                "invoice_id": invoice["pk"], "date": invoice["book_date"], "issue_date": invoice["issue_date"],
                "number": invoice["full_number"],
                "registration": (f"{invoice['series__code']}-{invoice['year']}-{invoice['number']:05d}"
                                 if kind == InvoiceKind.RECEIVED and invoice["number"] else ""),
                "party_name": invoice["party_name"], "party_tax_id": invoice["party_tax_id"],
                "base": group["base"] or ZERO,
                "rate": vat.rate if vat is not None and vat.kind != TaxKind.VAT_EXEMPT else None,
                "vat_amount": group["vat_amount"] or ZERO,
                "surcharge_rate": surcharge.rate if surcharge else None,
                "surcharge_amount": group["surcharge_amount"] or ZERO,
                "withholding": group["withholding"] or ZERO,
                "total": invoice["total"] if index == 0 else None,
                "exempt_cause": _cause(vat),
                "rectifies": invoice["rectifies__full_number"] or "",
                "rectification_code": invoice["rectification_code"] or "",
            }
            rows.append(row)
            for name in ("base", "vat_amount", "surcharge_amount", "withholding"):
                totals[name] += row[name]
        totals["total"] += invoice["total"]
    return {"kind": kind, "title": BOOK_TITLES[kind], "date_from": date_from, "date_to": date_to, "rows": rows,
            "invoices": len(invoices), "totals": totals}
