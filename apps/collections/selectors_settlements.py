"""Reads of settlements (liquidaciones): the rows a settlement takes or took, grouped per receipt
for the statement, and the totals. The preview and the closing compute through the same
functions (services/settlements.py, services/collaborator_settlements.py), so what the page
shows before closing is exactly what the settlement keeps.

Each read is a fixed number of queries whatever the number of rows: one .values() query over
the receipt movements and one over the commission movements, with the joined columns a line
needs (receipt number, policy number, holder, due date)."""
import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from apps.collections.choices import CommissionMovementKind, ReceiptCollector, ReceiptMovementKind
from apps.collections.models import (
    CollaboratorSettlement, CommissionMovement, ReceiptMovement, Settlement,
)

ZERO = Decimal("0.00")
OTHER_KINDS = (CommissionMovementKind.ADVANCE, CommissionMovementKind.CLAWBACK, CommissionMovementKind.CLAWBACK_UNDONE)
RECEIPT_COLUMNS = ("pk", "receipt_id", "kind", "amount", "collector", "receipt__number", "receipt__due_date",
                   "receipt__collector", "receipt__policy_id", "receipt__policy__number",
                   "receipt__policyholder__display_name")
COMMISSION_COLUMNS = ("pk", "receipt_id", "kind", "amount", "policy_id", "policy__number",
                      "policy__policyholder__display_name", "receipt__number", "receipt__due_date",
                      "receipt__collector")


@dataclass
class SettlementLine:
    """One receipt (or a policy's commission without receipt, e.g. an advance) on the statement."""

    receipt_id: int | None
    receipt_number: str
    policy_number: str
    holder: str
    due_date: datetime.date | None
    collector: str
    premium: Decimal = ZERO  # money that moved on the receipt in this settlement (any collector)
    commission: Decimal = ZERO
    kinds: list[str] = field(default_factory=list)

    @property
    def collector_label(self) -> str:
        return str(ReceiptCollector(self.collector).label) if self.collector else ""

    @property
    def kind_label(self) -> str:
        return ", ".join(self.kinds)

    @property
    def is_negative(self) -> bool:
        return self.premium < 0 or (not self.premium and self.commission < 0)


@dataclass
class SettlementDraft:
    """What a settlement with an insurer takes: the figures of Settlement plus the lines and the
    ids of the rows (to attach them when it closes)."""

    insurer: object
    period_start: datetime.date
    period_end: datetime.date
    premiums_collected: Decimal = ZERO
    commission_on_collected: Decimal = ZERO
    commission_insurer_collected: Decimal = ZERO
    other_commission: Decimal = ZERO
    commission_total: Decimal = ZERO
    amount_due: Decimal = ZERO
    lines: list[SettlementLine] = field(default_factory=list)
    receipt_movement_ids: list[int] = field(default_factory=list)
    commission_movement_ids: list[int] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.receipt_movement_ids and not self.commission_movement_ids

    @property
    def broker_pays(self) -> bool:
        return self.amount_due > 0


@dataclass
class CollaboratorDraft:
    collaborator: object
    period_start: datetime.date
    period_end: datetime.date
    commission_total: Decimal = ZERO
    withholding: Decimal = ZERO
    amount_due: Decimal = ZERO
    lines: list[SettlementLine] = field(default_factory=list)
    commission_movement_ids: list[int] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.commission_movement_ids


# --- Row sets -----------------------------------------------------------------------------------

def open_receipt_movements(insurer, period_end: datetime.date):
    """Receipt movements of `insurer` no settlement took yet, up to `period_end` (earlier ones too)."""
    return ReceiptMovement.objects.filter(insurer=insurer, settlement__isnull=True, date__lte=period_end)


def open_commission_movements(insurer, period_end: datetime.date):
    """The broker's commission rows with `insurer` (no collaborator) no settlement took yet."""
    return CommissionMovement.objects.filter(insurer=insurer, collaborator__isnull=True, settlement__isnull=True,
                                             date__lte=period_end)


def open_collaborator_movements(collaborator, period_end: datetime.date):
    return CommissionMovement.objects.filter(collaborator=collaborator, collaborator_settlement__isnull=True,
                                             date__lte=period_end)


# --- Lines and totals ---------------------------------------------------------------------------

def _line(lines: OrderedDict, row: dict, *, receipt: bool) -> SettlementLine:
    key = (row["receipt_id"], None) if row["receipt_id"] else (None, row["receipt__policy_id"] if receipt
                                                                  else row["policy_id"])
    line = lines.get(key)
    if line is None:
        line = SettlementLine(
            receipt_id=row["receipt_id"], receipt_number=row["receipt__number"] or "",
            policy_number=row["receipt__policy__number"] if receipt else row["policy__number"],
            holder=(row["receipt__policyholder__display_name"] if receipt
                    else row["policy__policyholder__display_name"]) or "",
            due_date=row["receipt__due_date"], collector=row["receipt__collector"] or "")
        lines[key] = line
    return line


def _add_kind(line: SettlementLine, label: str) -> None:
    if label not in line.kinds:
        line.kinds.append(label)


def _labels(choices) -> dict:
    """code -> label, translated once per computation (not once per row)."""
    return {value: str(label) for value, label in choices.choices}


def _sorted(lines: OrderedDict) -> list[SettlementLine]:
    return sorted(lines.values(), key=lambda line: (line.due_date or datetime.date.min, line.receipt_number,
                                                    line.policy_number))


def _receipt_rows(queryset) -> list[dict]:
    return list(queryset.order_by("date", "pk").values(*RECEIPT_COLUMNS))


def _commission_rows(queryset) -> list[dict]:
    return list(queryset.order_by("date", "pk").values(*COMMISSION_COLUMNS))


def settlement_compute(draft: SettlementDraft, receipt_rows: list[dict],
                       commission_rows: list[dict]) -> SettlementDraft:
    """Fills `draft` (totals, lines, row ids) from rows as returned by _receipt_rows/_commission_rows."""
    lines: OrderedDict = OrderedDict()
    receipt_kinds, commission_kinds = _labels(ReceiptMovementKind), _labels(CommissionMovementKind)
    for row in receipt_rows:
        draft.receipt_movement_ids.append(row["pk"])
        line = _line(lines, row, receipt=True)
        line.premium += row["amount"]
        _add_kind(line, receipt_kinds[row["kind"]])
        if row["collector"] == ReceiptCollector.BROKER:
            draft.premiums_collected += row["amount"]
    for row in commission_rows:
        draft.commission_movement_ids.append(row["pk"])
        line = _line(lines, row, receipt=False)
        line.commission += row["amount"]
        _add_kind(line, commission_kinds[row["kind"]])
        amount = row["amount"]
        draft.commission_total += amount
        if row["kind"] in OTHER_KINDS or not row["receipt_id"]:
            draft.other_commission += amount
        elif row["receipt__collector"] == ReceiptCollector.INSURER:
            draft.commission_insurer_collected += amount
        else:
            draft.commission_on_collected += amount
    draft.amount_due = draft.premiums_collected - draft.commission_total
    draft.lines = _sorted(lines)
    return draft


def settlement_draft(*, insurer, period_start: datetime.date, period_end: datetime.date,
                     lock: bool = False) -> SettlementDraft:
    """The open rows of `insurer` up to `period_end` as a draft (two queries; `lock` takes them FOR UPDATE)."""
    receipts = open_receipt_movements(insurer, period_end)
    commissions = open_commission_movements(insurer, period_end)
    if lock:
        receipts = receipts.select_for_update(of=("self",))
        commissions = commissions.select_for_update(of=("self",))
    draft = SettlementDraft(insurer=insurer, period_start=period_start, period_end=period_end)
    return settlement_compute(draft, _receipt_rows(receipts), _commission_rows(commissions))


def settlement_lines(settlement: Settlement) -> list[SettlementLine]:
    """The statement lines of a closed settlement (two queries)."""
    draft = SettlementDraft(insurer=settlement.insurer_id, period_start=settlement.period_start,
                            period_end=settlement.period_end)
    return settlement_compute(draft, _receipt_rows(ReceiptMovement.objects.filter(settlement=settlement)),
                              _commission_rows(CommissionMovement.objects.filter(settlement=settlement))).lines


def collaborator_compute(draft: CollaboratorDraft, commission_rows: list[dict]) -> CollaboratorDraft:
    lines: OrderedDict = OrderedDict()
    commission_kinds = _labels(CommissionMovementKind)
    for row in commission_rows:
        draft.commission_movement_ids.append(row["pk"])
        line = _line(lines, row, receipt=False)
        line.commission += row["amount"]
        _add_kind(line, commission_kinds[row["kind"]])
        draft.commission_total += row["amount"]
    draft.lines = _sorted(lines)
    return draft


def collaborator_draft(*, collaborator, period_start: datetime.date, period_end: datetime.date,
                       lock: bool = False) -> CollaboratorDraft:
    """The collaborator's open commission rows up to `period_end` (one query); withholding is
    computed by the service (money rounding of the percentage)."""
    rows = open_collaborator_movements(collaborator, period_end)
    if lock:
        rows = rows.select_for_update(of=("self",))
    draft = CollaboratorDraft(collaborator=collaborator, period_start=period_start, period_end=period_end)
    return collaborator_compute(draft, _commission_rows(rows))


def collaborator_settlement_lines(settlement: CollaboratorSettlement) -> list[SettlementLine]:
    draft = CollaboratorDraft(collaborator=settlement.collaborator_id, period_start=settlement.period_start,
                              period_end=settlement.period_end)
    return collaborator_compute(
        draft, _commission_rows(CommissionMovement.objects.filter(collaborator_settlement=settlement))).lines


# --- Lists --------------------------------------------------------------------------------------

def settlement_list_queryset():
    return Settlement.objects.select_related("insurer", "entry", "invoice")


def collaborator_settlement_list_queryset():
    return CollaboratorSettlement.objects.select_related("collaborator__party", "entry")


def settlement_totals(queryset, names: tuple[str, ...]) -> dict:
    """Sums of the money columns of a filtered list (one query)."""
    sums = queryset.order_by().aggregate(**{name: Sum(name) for name in names})
    return {name: sums[name] or ZERO for name in names}


def overlapping(model, *, owner_field: str, owner, period_start: datetime.date, period_end: datetime.date):
    """Settlements of the same insurer/collaborator whose period meets [period_start, period_end]."""
    return model.objects.filter(Q(**{owner_field: owner}), period_start__lte=period_end, period_end__gte=period_start)


def attach_rows(model, ids: list[int], *, field: str, target) -> None:
    """Points the rows `ids` of `model` at `target` through FK `field`: one UPDATE with the ids as
    one array parameter (an IN list of 50.000 ids costs seconds to parse and hits the 65.535
    parameters limit)."""
    if not ids:
        return
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{model._meta.db_table}" SET "{column}" = %s WHERE "id" = ANY(%s)',
                       [target.pk, list(ids)])


def settlement_period_label(period_start: datetime.date, period_end: datetime.date) -> str:
    return _("%(start)s a %(end)s") % {"start": period_start.strftime("%d/%m/%Y"),
                                        "end": period_end.strftime("%d/%m/%Y")}


# --- Statement (PDF) ----------------------------------------------------------------------------

PDF_TEMPLATE = "collections/settlements/pdf.html"


def _brokerage() -> dict:
    tenant = getattr(connection, "tenant", None)
    return {"name": getattr(tenant, "name", ""), "tax_id": getattr(tenant, "tax_id", ""),
            "dgsfp_code": getattr(tenant, "dgsfp_code", "")}


def _who_pays(amount: Decimal, *, broker: str, other: str) -> str:
    if amount > 0:
        return _("%(payer)s paga a %(payee)s") % {"payer": broker, "payee": other}
    if amount < 0:
        return _("%(payer)s paga a %(payee)s") % {"payer": other, "payee": broker}
    return _("Saldo cero: nadie paga")


def statement_context(settlement) -> dict:
    """What the PDF statement shows, for a Settlement or a CollaboratorSettlement."""
    from apps.core.money import format_eur

    brokerage = _brokerage()
    is_collaborator = isinstance(settlement, CollaboratorSettlement)
    if is_collaborator:
        lines = collaborator_settlement_lines(settlement)
        counterpart = settlement.collaborator.party
        counterpart_name, counterpart_tax_id = str(counterpart), getattr(counterpart, "tax_id", "")
        totals = [(_("Comisiones"), settlement.commission_total),
                  (_("Retención IRPF (%s %%)") % settlement.collaborator.withholding_pct, -settlement.withholding)]
        title = _("Liquidación de comisiones a colaborador")
        # A positive amount: the broker pays the collaborator.
        who_pays = _who_pays(settlement.amount_due, broker=brokerage["name"] or _("La correduría"),
                             other=counterpart_name)
    else:
        lines = settlement_lines(settlement)
        counterpart_name, counterpart_tax_id = settlement.insurer.name, settlement.insurer.tax_id
        totals = [(_("Primas cobradas por la correduría"), settlement.premiums_collected),
                  (_("Comisión sobre lo cobrado por la correduría"), -settlement.commission_on_collected),
                  (_("Comisión sobre lo cobrado por la compañía"), -settlement.commission_insurer_collected),
                  (_("Anticipos y extornos de comisión"), -settlement.other_commission)]
        title = _("Liquidación con la compañía")
        who_pays = _who_pays(settlement.amount_due, broker=brokerage["name"] or _("La correduría"),
                             other=counterpart_name)
    return {
        "settlement": settlement, "brokerage": brokerage, "title": title, "is_collaborator": is_collaborator,
        "counterpart": {"name": counterpart_name, "tax_id": counterpart_tax_id},
        "period": settlement_period_label(settlement.period_start, settlement.period_end),
        "date": settlement.date.strftime("%d/%m/%Y"),
        "rows": [{"receipt": line.receipt_number or "—", "policy": line.policy_number, "holder": line.holder,
                  "due_date": line.due_date.strftime("%d/%m/%Y") if line.due_date else "",
                  "premium": format_eur(line.premium) if line.premium else "",
                  "commission": format_eur(line.commission),
                  "kind": line.kind_label, "collector": line.collector_label} for line in lines],
        "totals": [(label, format_eur(amount)) for label, amount in totals],
        "amount_due": format_eur(abs(settlement.amount_due)), "who_pays": who_pays,
    }


def settlement_pdf(settlement) -> bytes:
    """The statement as a PDF (xhtml2pdf, nothing remote fetched), like the invoices' PDF."""
    from io import BytesIO

    from django.template.loader import render_to_string
    from xhtml2pdf import pisa

    from apps.core.errors import DomainError

    buffer = BytesIO()
    result = pisa.CreatePDF(render_to_string(PDF_TEMPLATE, statement_context(settlement)), dest=buffer,
                            encoding="utf-8", link_callback=lambda uri, rel: "")
    if result.err:
        raise DomainError(_("No se pudo generar el PDF de la liquidación %s.") % settlement.number,
                          code="settlement_pdf_failed")
    return buffer.getvalue()


def settlement_pdf_filename(settlement) -> str:
    return f"liquidacion-{settlement.number}.pdf".replace("/", "-")
