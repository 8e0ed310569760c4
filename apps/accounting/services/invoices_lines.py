"""Invoice lines: reading the line dicts callers pass, and the amounts of each line and invoice.

Each line is rounded on its own (half-up, 2 places): base = quantity × price × (1 − discount %),
then each tax on that base. The invoice totals are the sums of the lines' amounts, so the
taxes summary per rate, the entry and the PDF always agree to the cent.
"""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from apps.accounting.choices import InvoiceKind, TaxKind
from apps.accounting.errors import AccountingError
from apps.accounting.models import Account, InvoiceLine, Tax
from apps.accounting.services.setup import mapped_account
from apps.core.money import to_money

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
LINE_KEYS = {"description", "quantity", "unit_price", "discount", "account", "vat", "surcharge", "withholding",
             "line_of_business", "insurer"}

# Which tax kinds each slot of a line takes, per invoice kind.
VAT_KINDS = {
    InvoiceKind.ISSUED: (TaxKind.VAT_OUTPUT, TaxKind.VAT_EXEMPT),
    InvoiceKind.RECEIVED: (TaxKind.VAT_INPUT, TaxKind.VAT_EXEMPT),
}
DEFAULT_ACCOUNT_ROLE = {InvoiceKind.ISSUED: "fee_income", InvoiceKind.RECEIVED: "services_expense"}


@dataclass
class TaxSummary:
    """One row of the taxes summary: a tax and the base and amount it applies to."""

    tax: Tax
    base: Decimal = ZERO
    amount: Decimal = ZERO


@dataclass
class Totals:
    base_total: Decimal = ZERO
    vat_total: Decimal = ZERO
    surcharge_total: Decimal = ZERO
    withholding_total: Decimal = ZERO
    total: Decimal = ZERO
    summary: list[TaxSummary] = field(default_factory=list)


def _decimal(value, *, index: int, name: str, label: str, default=None) -> Decimal:
    if value in (None, ""):
        if default is None:
            raise AccountingError(_("Línea %(n)s: indique %(label)s.") % {"n": index, "label": label},
                                  field=f"lines.{index}.{name}")
        return Decimal(default)
    if isinstance(value, float):
        raise AccountingError(_("Línea %(n)s: %(label)s debe ser decimal, no flotante.") % {"n": index, "label": label},
                              field=f"lines.{index}.{name}")
    try:
        number = Decimal(str(value).strip().replace(",", ".") if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise AccountingError(_("Línea %(n)s: «%(v)s» no es un número válido para %(label)s.")
                              % {"n": index, "v": value, "label": label}, field=f"lines.{index}.{name}") from None
    if not number.is_finite():
        raise AccountingError(_("Línea %(n)s: «%(v)s» no es un número válido para %(label)s.")
                              % {"n": index, "v": value, "label": label}, field=f"lines.{index}.{name}")
    return number


def load_taxes(lines: list[dict]) -> dict[str, Tax]:
    codes = set()
    for line in lines:
        for slot in ("vat", "surcharge", "withholding"):
            value = line.get(slot)
            if isinstance(value, str) and value.strip():
                codes.add(value.strip().upper())
    return {tax.code: tax for tax in Tax.objects.select_related("account").filter(code__in=codes)} if codes else {}


def _tax(value, *, slot: str, kinds: tuple, taxes: dict, index: int) -> Tax | None:
    if value in (None, ""):
        return None
    tax = value if isinstance(value, Tax) else taxes.get(str(value).strip().upper())
    if tax is None:
        raise AccountingError(_("Línea %(n)s: el impuesto «%(code)s» no existe.") % {"n": index, "code": value},
                              field=f"lines.{index}.{slot}")
    if tax.kind not in kinds:
        slot_label = {"vat": _("IVA"), "surcharge": _("recargo de equivalencia"), "withholding": _("retención")}[slot]
        raise AccountingError(
            _("Línea %(n)s: %(tax)s (%(kind)s) no puede ir como %(slot)s en esta factura.")
            % {"n": index, "tax": tax.code, "kind": tax.get_kind_display().lower(), "slot": slot_label},
            field=f"lines.{index}.{slot}")
    if not tax.is_active:
        raise AccountingError(_("Línea %(n)s: el impuesto %(code)s está dado de baja.") % {"n": index, "code": tax.code},
                              field=f"lines.{index}.{slot}")
    return tax


def _account(value, *, kind: str, index: int) -> Account:
    if value in (None, ""):
        account = mapped_account(DEFAULT_ACCOUNT_ROLE[kind])
    elif isinstance(value, Account):
        account = value
    else:
        account = Account.objects.filter(code=str(value).strip()).first()
        if account is None:
            raise AccountingError(_("Línea %(n)s: la cuenta %(code)s no existe.") % {"n": index, "code": value},
                                  field=f"lines.{index}.account")
    if not account.is_postable or not account.is_active:
        raise AccountingError(_("Línea %(n)s: la cuenta %(code)s no admite apuntes (tiene subcuentas o está de baja).")
                              % {"n": index, "code": account.code}, field=f"lines.{index}.account")
    return account


def _insurer(value, *, index: int):
    if value in (None, ""):
        return None
    from apps.crm.models import Party

    if isinstance(value, Party):
        return value
    insurer = Party.objects.filter(pk=value).first() if str(value).isdigit() else None
    if insurer is None:
        raise AccountingError(_("Línea %(n)s: la aseguradora %(v)s no existe.") % {"n": index, "v": value},
                              field=f"lines.{index}.insurer")
    return insurer


def build_lines(lines: list[dict], *, kind: str, allow_negative: bool) -> list[InvoiceLine]:
    """Unsaved InvoiceLine objects with their amounts computed, or a refusal naming the line."""
    if not lines:
        raise AccountingError(_("La factura necesita al menos una línea."), field="lines")
    taxes = load_taxes([line for line in lines if isinstance(line, dict)])
    built = []
    for index, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            raise AccountingError(_("Línea %s: formato no válido.") % index, field=f"lines.{index}")
        unknown = set(line) - LINE_KEYS - {"id", "line_no", "DELETE"}
        if unknown:
            raise AccountingError(_("Línea %(n)s: campos desconocidos: %(f)s.") % {"n": index, "f": ", ".join(sorted(unknown))},
                                  field=f"lines.{index}")
        description = (line.get("description") or "").strip()
        if not description:
            raise AccountingError(_("Línea %s: indique el concepto.") % index, field=f"lines.{index}.description")
        quantity = _decimal(line.get("quantity"), index=index, name="quantity", label=_("la cantidad"), default="1")
        price = _decimal(line.get("unit_price"), index=index, name="unit_price", label=_("el precio"))
        discount = _decimal(line.get("discount"), index=index, name="discount", label=_("el descuento"), default="0")
        if quantity != quantity.quantize(Decimal("0.001")) or price != price.quantize(Decimal("0.0001")):
            raise AccountingError(_("Línea %s: como mucho 3 decimales en la cantidad y 4 en el precio.") % index,
                                  field=f"lines.{index}.unit_price")
        if not ZERO <= discount <= HUNDRED or discount != discount.quantize(Decimal("0.01")):
            raise AccountingError(_("Línea %s: el descuento es un porcentaje entre 0 y 100.") % index,
                                  field=f"lines.{index}.discount")
        if not allow_negative and (quantity < 0 or price < 0):
            raise AccountingError(
                _("Línea %s: importes negativos solo en facturas rectificativas.") % index,
                field=f"lines.{index}.unit_price")
        vat = _tax(line.get("vat"), slot="vat", kinds=VAT_KINDS[kind], taxes=taxes, index=index)
        surcharge = _tax(line.get("surcharge"), slot="surcharge", kinds=(TaxKind.SURCHARGE,), taxes=taxes, index=index)
        withholding = _tax(line.get("withholding"), slot="withholding", kinds=(TaxKind.WITHHOLDING,), taxes=taxes,
                           index=index)
        if surcharge and (vat is None or vat.kind == TaxKind.VAT_EXEMPT or not vat.rate):
            raise AccountingError(_("Línea %s: el recargo de equivalencia acompaña a un tipo de IVA; indique el IVA.")
                                  % index, field=f"lines.{index}.surcharge")
        base = to_money(quantity * price * (HUNDRED - discount) / HUNDRED)
        built.append(InvoiceLine(
            line_no=index, description=description[:250], quantity=quantity, unit_price=price, discount=discount,
            base=base, account=_account(line.get("account"), kind=kind, index=index),
            vat=vat, surcharge=surcharge, withholding=withholding,
            vat_amount=to_money(base * vat.rate / HUNDRED) if vat else ZERO,
            surcharge_amount=to_money(base * surcharge.rate / HUNDRED) if surcharge else ZERO,
            withholding_amount=to_money(base * withholding.rate / HUNDRED) if withholding else ZERO,
            line_of_business=(line.get("line_of_business") or "").strip()[:40],
            insurer=_insurer(line.get("insurer"), index=index),
        ))
    return built


def compute_totals(lines: list[InvoiceLine]) -> Totals:
    """Invoice totals and the summary per tax (VAT or exemption, surcharge, withholding)."""
    totals = Totals()
    by_tax: dict[int, TaxSummary] = {}
    for line in lines:
        totals.base_total += line.base
        totals.vat_total += line.vat_amount
        totals.surcharge_total += line.surcharge_amount
        totals.withholding_total += line.withholding_amount
        for tax, amount in ((line.vat, line.vat_amount), (line.surcharge, line.surcharge_amount),
                            (line.withholding, line.withholding_amount)):
            if tax is None:
                continue
            row = by_tax.setdefault(tax.pk, TaxSummary(tax=tax))
            row.base += line.base
            row.amount += amount
    totals.total = totals.base_total + totals.vat_total + totals.surcharge_total - totals.withholding_total
    order = {TaxKind.VAT_OUTPUT: 0, TaxKind.VAT_INPUT: 0, TaxKind.VAT_EXEMPT: 1, TaxKind.SURCHARGE: 2,
             TaxKind.WITHHOLDING: 3}
    totals.summary = sorted(by_tax.values(), key=lambda r: (order.get(r.tax.kind, 9), -r.tax.rate, r.tax.code))
    return totals


def line_dicts(invoice, *, negate: bool = False) -> list[dict]:
    """An invoice's lines as the dicts invoice_create takes (negated for a cancelling rectification)."""
    rows = []
    for line in invoice.lines.select_related("account", "vat", "surcharge", "withholding", "insurer"):
        rows.append({
            "description": line.description, "quantity": -line.quantity if negate else line.quantity,
            "unit_price": line.unit_price, "discount": line.discount, "account": line.account,
            "vat": line.vat, "surcharge": line.surcharge, "withholding": line.withholding,
            "line_of_business": line.line_of_business, "insurer": line.insurer,
        })
    return rows


def tax_summary(invoice) -> list[TaxSummary]:
    """An invoice's taxes per rate: [TaxSummary(tax, base, amount)], VAT first, then exempt, RE, IRPF."""
    return compute_totals(list(invoice.lines.select_related("vat", "surcharge", "withholding"))).summary
