"""Issued and received invoices: drafts, validation (numbering + entry), rectifying invoices.

Issued invoices are numbered when validated: «<series>-<year>-<5 digits>», from a counter per
series and year taken under a row lock in the same transaction as the entry, so a failed
validation gives its number back and numbers have no gaps. Received invoices keep the
supplier's number and get the next registration number of their series (P) for the books.
The entry layout is in invoices_posting; line amounts in invoices_lines.
"""
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounting.choices import InvoiceKind, InvoiceState
from apps.accounting.errors import AccountingError
from apps.accounting.models import Invoice, InvoiceCounter, InvoiceLine, InvoiceSeries
from apps.accounting.services.invoices_lines import build_lines, compute_totals, line_dicts
from apps.accounting.services.invoices_posting import entry_lines
from apps.accounting.services.posting import _lock_books, entry_post
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.core.money import format_eur

ZERO = Decimal("0.00")
PERSON_TAX_ID_LIMIT = Decimal("3000.00")
DEFAULT_SERIES = {InvoiceKind.ISSUED: "F", InvoiceKind.RECEIVED: "P"}
RECTIFYING_SERIES = "R"
# Art. 80 LIVA / SII: causes of a rectifying invoice.
RECTIFICATION_CODES = {
    "R1": gettext_lazy("R1 · Error fundado en derecho y art. 80 Uno, Dos y Seis LIVA"),
    "R2": gettext_lazy("R2 · Art. 80 Tres LIVA (concurso de acreedores)"),
    "R3": gettext_lazy("R3 · Art. 80 Cuatro LIVA (créditos incobrables)"),
    "R4": gettext_lazy("R4 · Resto de causas"),
    "R5": gettext_lazy("R5 · Rectificativa de factura simplificada"),
}
HEADER_FIELDS = ("party", "issue_date", "series", "full_number", "operation_date", "accounting_date", "due_date",
                 "rectifies", "rectification_code", "rectification_reason", "notes")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _party(value):
    from apps.crm.models import Party

    if isinstance(value, Party):
        return value
    party = Party.objects.filter(pk=value).first() if str(value or "").isdigit() else None
    if party is None:
        raise AccountingError(_("Indique el tercero de la factura."), field="party")
    return party


def _date(value, *, name: str, label: str, required: bool = False):
    if value in (None, ""):
        if required:
            raise AccountingError(_("Indique %s.") % label, field=name)
        return None
    if not isinstance(value, datetime.date):
        raise AccountingError(_("%s no es una fecha válida.") % label.capitalize(), field=name)
    return value


def _series(value, *, kind: str, rectifying: bool) -> InvoiceSeries:
    if value in (None, ""):
        value = RECTIFYING_SERIES if rectifying and kind == InvoiceKind.ISSUED else DEFAULT_SERIES[kind]
    series = value if isinstance(value, InvoiceSeries) else (
        InvoiceSeries.objects.select_related("journal").filter(code=str(value).strip()).first())
    if series is None:
        raise AccountingError(_("La serie de facturas «%s» no existe.") % value, field="series")
    if not series.is_active:
        raise AccountingError(_("La serie %s está dada de baja.") % series.code, field="series")
    if series.kind != kind:
        raise AccountingError(_("La serie %(code)s es de facturas %(kind)s.")
                              % {"code": series.code, "kind": series.get_kind_display().lower() + "s"}, field="series")
    if kind == InvoiceKind.ISSUED and series.is_rectifying != rectifying:
        message = (_("Una factura rectificativa va en una serie rectificativa (p. ej. R).") if rectifying else
                   _("La serie %s es de rectificativas: indique a qué factura rectifica.") % series.code)
        raise AccountingError(message, field="series")
    return series


def _rectified(value, *, kind: str, party, code: str, reason: str):
    if value in (None, ""):
        if code or reason:
            raise AccountingError(_("Indique la factura que se rectifica."), field="rectifies")
        return None
    original = value if isinstance(value, Invoice) else Invoice.objects.filter(pk=value).first()
    if original is None:
        raise AccountingError(_("La factura rectificada no existe."), field="rectifies")
    if original.state != InvoiceState.VALIDATED:
        raise AccountingError(_("Solo se rectifican facturas validadas; un borrador se corrige directamente."),
                              field="rectifies")
    if original.rectifies_id:
        raise AccountingError(_("La factura %s ya es rectificativa: rectifique la factura original.") % original,
                              field="rectifies")
    if original.kind != kind or original.party_id != party.pk:
        raise AccountingError(_("La rectificativa debe ser del mismo tipo y tercero que la factura %s.") % original,
                              field="rectifies")
    if code not in RECTIFICATION_CODES:
        raise AccountingError(_("Indique la causa de la rectificación (R1 a R5)."), field="rectification_code")
    if not (reason or "").strip():
        raise AccountingError(_("Indique el motivo de la rectificación."), field="rectification_reason")
    return original


def _check_tax_id(*, kind: str, party, total: Decimal) -> None:
    """RD 1619/2012: the recipient's NIF on issued invoices to companies (and to persons above
    3.000 €); the supplier's NIF on every received invoice we deduct."""
    if (party.tax_id or "").strip():
        return
    if kind == InvoiceKind.RECEIVED:
        raise AccountingError(_("El proveedor %s no tiene NIF: complételo en su ficha antes de registrar la factura.")
                              % party, field="party")
    if not party.is_person:
        raise AccountingError(_("%s no tiene NIF/CIF: es obligatorio en las facturas a empresas; complételo en su ficha.")
                              % party, field="party")
    if abs(total) > PERSON_TAX_ID_LIMIT:
        raise AccountingError(_("%(party)s no tiene NIF: es obligatorio en facturas de más de %(limit)s; complételo en "
                                "su ficha.") % {"party": party, "limit": format_eur(PERSON_TAX_ID_LIMIT)}, field="party")


def _check_duplicate(*, party, full_number: str, issue_date, year: int, exclude_pk=None) -> None:
    duplicates = Invoice.objects.filter(kind=InvoiceKind.RECEIVED, party=party, full_number__iexact=full_number) \
        .exclude(state=InvoiceState.DRAFT).filter(Q(year=year) | Q(issue_date__year=issue_date.year))
    if exclude_pk:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise AccountingError(_("Ya está registrada la factura %(number)s de %(party)s de %(year)s.")
                              % {"number": full_number, "party": party, "year": issue_date.year}, field="full_number")


def _prepare(*, kind: str, values: dict, lines: list) -> tuple[dict, list[InvoiceLine], object]:
    """Checks a draft's header and lines; returns the model fields, the computed lines and totals."""
    if kind not in InvoiceKind.values:
        raise AccountingError(_("Tipo de factura desconocido: %s.") % kind, field="kind")
    party = _party(values.get("party"))
    issue_date = _date(values.get("issue_date"), name="issue_date", label=_("la fecha de expedición"), required=True)
    operation_date = _date(values.get("operation_date"), name="operation_date", label=_("la fecha de operación"))
    accounting_date = _date(values.get("accounting_date"), name="accounting_date", label=_("la fecha contable"))
    due_date = _date(values.get("due_date"), name="due_date", label=_("el vencimiento"))
    if due_date and due_date < issue_date:
        raise AccountingError(_("El vencimiento no puede ser anterior a la fecha de la factura."), field="due_date")
    if accounting_date and accounting_date < issue_date:
        raise AccountingError(_("La fecha contable no puede ser anterior a la de expedición."), field="accounting_date")
    code = (values.get("rectification_code") or "").strip().upper()
    reason = (values.get("rectification_reason") or "").strip()
    rectifies = _rectified(values.get("rectifies"), kind=kind, party=party, code=code, reason=reason)
    series = _series(values.get("series"), kind=kind, rectifying=rectifies is not None)
    full_number = (values.get("full_number") or "").strip()
    if kind == InvoiceKind.RECEIVED:
        if not full_number:
            raise AccountingError(_("Indique el número de factura del proveedor."), field="full_number")
        if len(full_number) > 40:
            raise AccountingError(_("El número de factura admite 40 caracteres como máximo."), field="full_number")
        _check_duplicate(party=party, full_number=full_number, issue_date=issue_date,
                         year=(accounting_date or issue_date).year, exclude_pk=values.get("pk"))
    else:
        full_number = ""
    built = build_lines(lines, kind=kind, allow_negative=rectifies is not None)
    totals = compute_totals(built)
    if not totals.total:
        raise AccountingError(_("La factura no tiene importe: el total es cero."), field="lines")
    if rectifies is None and totals.total <= 0:
        raise AccountingError(_("El total de la factura debe ser positivo; para restar importes emita una "
                                "rectificativa."), field="lines")
    _check_tax_id(kind=kind, party=party, total=totals.total)
    fields = {
        "kind": kind, "series": series, "party": party, "party_name": str(party)[:300],
        "party_tax_id": (party.tax_id or "")[:20], "issue_date": issue_date, "operation_date": operation_date,
        "accounting_date": accounting_date, "due_date": due_date, "rectifies": rectifies,
        "rectification_code": code if rectifies else "", "rectification_reason": reason[:250] if rectifies else "",
        "full_number": full_number, "notes": (values.get("notes") or "").strip(),
        "base_total": totals.base_total, "vat_total": totals.vat_total, "surcharge_total": totals.surcharge_total,
        "withholding_total": totals.withholding_total, "total": totals.total,
    }
    return fields, built, totals


def _save_lines(invoice: Invoice, built: list[InvoiceLine]) -> None:
    for line in built:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(built)


def _changes(fields: dict) -> dict:
    return {name: [None, str(fields[name])] for name in ("kind", "party_name", "issue_date", "full_number", "total")}


@transaction.atomic
def invoice_create(*, actor, kind: str, party, issue_date, lines: list, series=None, full_number: str = "",
                   operation_date=None, accounting_date=None, due_date=None, rectifies=None,
                   rectification_code: str = "", rectification_reason: str = "", notes: str = "") -> Invoice:
    """A draft invoice with its lines and totals computed; nothing is numbered or posted yet."""
    values = {"party": party, "issue_date": issue_date, "series": series, "full_number": full_number,
              "operation_date": operation_date, "accounting_date": accounting_date, "due_date": due_date,
              "rectifies": rectifies, "rectification_code": rectification_code,
              "rectification_reason": rectification_reason, "notes": notes}
    fields, built, _totals = _prepare(kind=kind, values=values, lines=lines)
    invoice = Invoice.objects.create(**fields, created_by=_actor(actor), updated_by=_actor(actor))
    _save_lines(invoice, built)
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=invoice, changes=_changes(fields))
    publish("accounting.invoice.created", pk=invoice.pk)
    return invoice


def _locked(invoice, *, draft: bool = True) -> Invoice:
    invoice = Invoice.objects.select_for_update(of=("self",)).select_related("series__journal", "party").get(
        pk=invoice.pk)
    if draft and invoice.state != InvoiceState.DRAFT:
        raise AccountingError(_("La factura %s está validada: no se modifica ni se borra; emita una rectificativa.")
                              % invoice, field="state")
    return invoice


@transaction.atomic
def invoice_update(*, actor, invoice: Invoice, lines: list | None = None, **changes) -> Invoice:
    """Changes a draft: header fields given in `changes` (the names invoice_create takes) and,
    with `lines`, replaces all its lines."""
    unknown = set(changes) - set(HEADER_FIELDS)
    if unknown:
        raise AccountingError(_("Campos desconocidos: %s.") % ", ".join(sorted(unknown)))
    invoice = _locked(invoice)
    values = {name: getattr(invoice, name) for name in HEADER_FIELDS}
    values.update(changes)
    values["pk"] = invoice.pk
    if lines is None:
        lines = line_dicts(invoice)
    fields, built, _totals = _prepare(kind=invoice.kind, values=values, lines=lines)
    before = {name: str(getattr(invoice, name)) for name in ("party_name", "issue_date", "total")}
    for name, value in fields.items():
        setattr(invoice, name, value)
    invoice.updated_by = _actor(actor)
    invoice.version += 1
    invoice.save()
    invoice.lines.all().delete()
    _save_lines(invoice, built)
    audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=invoice,
                       changes={name: [before[name], str(fields[name])] for name in before
                                if before[name] != str(fields[name])})
    return invoice


def _next_number(series: InvoiceSeries, year: int) -> int:
    counter, _created = InvoiceCounter.objects.get_or_create(series=series, year=year)
    counter = InvoiceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def invoice_validate(*, actor, invoice: Invoice) -> Invoice:
    """Numbers the invoice (issued) or registers it (received) and posts its entry; all or nothing."""
    _lock_books()  # audit chain first, as every posting does: no deadlock with other audited writes
    invoice = _locked(invoice)
    lines = list(invoice.lines.select_related("account", "vat__account", "surcharge__account", "withholding__account",
                                              "insurer"))
    if not lines:
        raise AccountingError(_("La factura necesita al menos una línea."), field="lines")
    totals = compute_totals(lines)
    if not totals.total:
        raise AccountingError(_("La factura no tiene importe: el total es cero."), field="lines")
    party = invoice.party
    _check_tax_id(kind=invoice.kind, party=party, total=totals.total)
    if invoice.rectifies_id:
        _rectified(invoice.rectifies, kind=invoice.kind, party=party, code=invoice.rectification_code,
                   reason=invoice.rectification_reason)
    issued = invoice.kind == InvoiceKind.ISSUED
    date = invoice.issue_date if issued else (invoice.accounting_date or invoice.issue_date)
    year = invoice.issue_date.year if issued else date.year
    if not issued:
        _check_duplicate(party=party, full_number=invoice.full_number, issue_date=invoice.issue_date, year=year,
                         exclude_pk=invoice.pk)
    number = _next_number(invoice.series, year)
    invoice.year, invoice.number = year, number
    if issued:
        invoice.full_number = f"{invoice.series.code}-{year}-{number:05d}"
    invoice.party_name, invoice.party_tax_id = str(party)[:300], (party.tax_id or "")[:20]
    for name in ("base_total", "vat_total", "surcharge_total", "withholding_total", "total"):
        setattr(invoice, name, getattr(totals, name))
    entry = entry_post(
        actor=actor, date=date, journal=invoice.series.journal, source=f"accounting.invoice:{invoice.pk}",
        description=f"{_('Factura')} {invoice.full_number} {invoice.party_name}"[:250],
        lines=entry_lines(actor=actor, invoice=invoice, lines=lines))
    invoice.entry = entry
    invoice.state = InvoiceState.VALIDATED
    invoice.updated_by = _actor(actor)
    invoice.version += 1
    invoice.save()
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="invoice_validate", obj=invoice,
                       changes={"state": [InvoiceState.DRAFT, InvoiceState.VALIDATED],
                                "full_number": [None, invoice.full_number], "entry": [None, str(entry)]})
    publish("accounting.invoice.validated", pk=invoice.pk)
    return invoice


@transaction.atomic
def invoice_issue(*, actor, **kwargs) -> Invoice:
    """Create and validate in one transaction."""
    return invoice_validate(actor=actor, invoice=invoice_create(actor=actor, **kwargs))


@transaction.atomic
def invoice_rectify(*, actor, invoice: Invoice, issue_date, reason: str, code: str = "R1", lines: list | None = None,
                    full_number: str = "") -> Invoice:
    """A validated rectifying invoice by differences. Without `lines`, it cancels the original
    in full (every line negated). Received: pass the supplier's `full_number`."""
    _lock_books()
    original = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)
    if lines is None:
        if original.rectifications.exclude(state=InvoiceState.DRAFT).exists():
            raise AccountingError(_("La factura %s ya tiene rectificativas: indique las líneas de la nueva "
                                    "rectificación.") % original, field="lines")
        lines = line_dicts(original, negate=True)
    rectifying = invoice_create(
        actor=actor, kind=original.kind, party=original.party, issue_date=issue_date, lines=lines,
        full_number=full_number, operation_date=original.operation_date, rectifies=original,
        rectification_code=(code or "").strip().upper(), rectification_reason=reason)
    return invoice_validate(actor=actor, invoice=rectifying)


@transaction.atomic
def invoice_draft_delete(*, actor, invoice: Invoice) -> None:
    invoice = _locked(invoice)
    audit_event_record(actor=actor, action=AuditAction.DELETE, obj=invoice,
                       changes={"party_name": [invoice.party_name, None], "total": [str(invoice.total), None]})
    invoice.delete()
