"""What a transfer order can pay (issue 7 item 7): the sources of payments out, each listing every
candidate with the reason it cannot go (never silently dropped).

  settlement        a CLOSED insurer settlement the brokerage owes (amount_due > 0), to the insurer's
                    main IBAN (its crm Party's primary bank account);
  claim_payment     a claim payment: to the policyholder (the party's primary IBAN) or, when an IBAN
                    is given (third party, repairer), to that IBAN;
  supplier_invoice  a VALIDATED received invoice, amount = its total (already net of withholding),
                    to the supplier's primary IBAN; not if a reconciliation already paid it.

Reasons: no IBAN, invalid IBAN, zero amount, already in order N, wrong state. A target is «taken»
while a live (generated or settled) order holds it: `transfer_target_paid` tells the forecast and
the reconciliation so.
"""
import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from apps.accounting.choices import InvoiceKind, InvoiceState
from apps.accounting.models import Invoice
from apps.claims.choices import PaymentPayee
from apps.claims.models import ClaimPayment
from apps.collections.choices import SettlementState
from apps.collections.models import Settlement
from apps.treasury.choices import TransferItemKind, TransferOrderState
from apps.treasury.models import Reconciliation, TransferItem

LIVE_STATES = (TransferOrderState.GENERATED, TransferOrderState.SETTLED)
MODELS = {TransferItemKind.SETTLEMENT: Settlement, TransferItemKind.CLAIM_PAYMENT: ClaimPayment,
          TransferItemKind.SUPPLIER_INVOICE: Invoice}
SOURCES = [(kind, kind.label) for kind in MODELS]


@dataclass(frozen=True)
class PaymentRequest:
    """One payment asked for: the source kind and the id of what it pays; `iban`/`bic`/`payee_name`
    override the payee's own account (a claim paid to a third party or a repairer)."""
    kind: str
    target_id: int
    iban: str = ""
    bic: str = ""
    payee_name: str = ""


@dataclass(frozen=True)
class Candidate:
    kind: str
    target: object
    label: str
    payee_name: str
    iban: str
    bic: str
    amount: Decimal
    description: str
    date: datetime.date | None = None
    reason: str = ""
    code: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason

    @property
    def target_id(self) -> int:
        return self.target.pk


def _primary(party):
    if party is None:
        return None
    accounts = sorted(party.bank_accounts.all(), key=lambda a: (not a.is_primary, a.pk))
    return accounts[0] if accounts else None


def _clean_iban(value: str) -> str | None:
    try:
        return IBAN(value or "").compact
    except SchwiftyException:
        return None


def _bic_ok(value: str) -> bool:
    if not value:
        return True
    try:
        BIC(value)
    except SchwiftyException:
        return False
    return True


def orders_holding(model, ids) -> dict:
    """{target id: number of the live order that holds it} for `model` rows `ids`."""
    items = TransferItem.objects.filter(target_type=ContentType.objects.get_for_model(model),
                                        target_id__in=list(ids), order__state__in=LIVE_STATES)
    return dict(items.values_list("target_id", "order__number"))


def transfer_target_paid(target) -> bool:
    """Is `target` (a settlement, claim payment, invoice...) in a live transfer order?"""
    if target is None or getattr(target, "pk", None) is None:
        return False
    return bool(orders_holding(type(target), [target.pk]))


def _reconciled(ids) -> set:
    return set(Reconciliation.objects.filter(target_type=ContentType.objects.get_for_model(Invoice),
                                             target_id__in=list(ids), undone_at__isnull=True)
               .values_list("target_id", flat=True))


def _finish(row: Candidate, *, busy: dict, state_reason: str = "") -> Candidate:
    """The first reason `row` cannot go (state, amount, in an order, IBAN), or `row` as it is."""
    checks = [
        (state_reason, "treasury_transfer_state"),
        (_("El importe a pagar es cero o negativo.") if row.amount <= 0 else "", "treasury_transfer_amount"),
        (_("Ya está en la orden %s.") % busy[row.target.pk] if row.target.pk in busy else "",
         "treasury_transfer_busy"),
        (_("%s no tiene cuenta bancaria (IBAN).") % row.payee_name if not row.iban else "",
         "treasury_transfer_no_iban"),
    ]
    if row.iban:
        iban = _clean_iban(row.iban)
        checks.append((_("El IBAN %s no es válido.") % row.iban if iban is None else "", "treasury_transfer_iban"))
        row = replace(row, iban=iban or row.iban)
        checks.append((_("El BIC %s no es válido.") % row.bic if not _bic_ok(row.bic) else "", "treasury_bic"))
    for reason, code in checks:
        if reason:
            return replace(row, reason=reason, code=code)
    return row


def _settlement_rows(settlements, overrides: dict) -> list[Candidate]:
    settlements = list(settlements)
    busy = orders_holding(Settlement, [s.pk for s in settlements])
    rows = []
    for settlement in settlements:
        party = settlement.insurer.party
        account = _primary(party)
        state = "" if settlement.state == SettlementState.CLOSED else (
            _("La liquidación está %s.") % settlement.get_state_display().lower())
        if not state and settlement.amount_due < 0:
            state = _("La compañía paga a la correduría, no al revés.")
        rows.append(_finish(Candidate(
            kind=TransferItemKind.SETTLEMENT, target=settlement, label=settlement.number,
            payee_name=str(party or settlement.insurer), iban=account.iban if account else "",
            bic=account.bic if account else "", amount=settlement.amount_due, date=settlement.date,
            description=_("Liquidación %s") % settlement.number), busy=busy, state_reason=state))
    return rows


def _claim_rows(payments, overrides: dict) -> list[Candidate]:
    payments = list(payments)
    busy = orders_holding(ClaimPayment, [p.pk for p in payments])
    rows = []
    for payment in payments:
        claim = payment.claim
        request = overrides.get(payment.pk)
        to_holder = payment.payee == PaymentPayee.POLICYHOLDER
        account = _primary(claim.policyholder) if to_holder else None
        name = (request.payee_name if request and request.payee_name else "") or payment.payee_name or (
            str(claim.policyholder) if to_holder else payment.get_payee_display())
        iban, bic = (account.iban, account.bic) if account else ("", "")
        if request and request.iban:
            iban, bic = request.iban, request.bic
        rows.append(_finish(Candidate(
            kind=TransferItemKind.CLAIM_PAYMENT, target=payment, label=claim.number, payee_name=name[:200],
            iban=iban, bic=bic, amount=payment.amount, date=payment.date,
            description=(_("Siniestro %(number)s: %(concept)s") % {
                "number": claim.number, "concept": payment.concept or payment.get_payee_display()})[:140]),
            busy=busy))
    return rows


def _invoice_rows(invoices, overrides: dict) -> list[Candidate]:
    invoices = list(invoices)
    ids = [i.pk for i in invoices]
    busy, reconciled = orders_holding(Invoice, ids), _reconciled(ids)
    rows = []
    for invoice in invoices:
        account = _primary(invoice.party)
        if invoice.kind != InvoiceKind.RECEIVED:
            state = _("No es una factura recibida.")
        elif invoice.state != InvoiceState.VALIDATED:
            state = _("La factura está %s.") % invoice.get_state_display().lower()
        elif invoice.pk in reconciled:
            state = _("Ya consta pagada (conciliada con el banco).")
        else:
            state = ""
        rows.append(_finish(Candidate(
            kind=TransferItemKind.SUPPLIER_INVOICE, target=invoice, label=invoice.full_number,
            payee_name=invoice.party_name or str(invoice.party), iban=account.iban if account else "",
            bic=account.bic if account else "", amount=invoice.total, date=invoice.issue_date,
            description=(_("Factura %s") % invoice.full_number)[:140]), busy=busy, state_reason=state))
    return rows


ROWS = {TransferItemKind.SETTLEMENT: _settlement_rows, TransferItemKind.CLAIM_PAYMENT: _claim_rows,
        TransferItemKind.SUPPLIER_INVOICE: _invoice_rows}


def _queryset(kind: str):
    if kind == TransferItemKind.SETTLEMENT:
        return (Settlement.objects.select_related("insurer__party").prefetch_related("insurer__party__bank_accounts")
                .order_by("date", "number"), "date")
    if kind == TransferItemKind.CLAIM_PAYMENT:
        return (ClaimPayment.objects.select_related("claim__policyholder")
                .prefetch_related("claim__policyholder__bank_accounts").order_by("date", "pk"), "date")
    return (Invoice.objects.select_related("party").prefetch_related("party__bank_accounts")
            .order_by("issue_date", "pk"), "issue_date")


def transfer_candidates(*, kind: str, date_from: datetime.date | None = None,
                        date_to: datetime.date | None = None) -> list[Candidate]:
    """Every payment of source `kind` dated in [date_from, date_to] that is not paid yet (closed settlements,
    claim payments, validated received invoices not reconciled; nothing a settled order paid), each with
    the reason it cannot go."""
    queryset, date_field = _queryset(kind)
    if kind == TransferItemKind.SETTLEMENT:
        queryset = queryset.filter(state=SettlementState.CLOSED, amount_due__gte=0)
    elif kind == TransferItemKind.SUPPLIER_INVOICE:
        invoice_type = ContentType.objects.get_for_model(Invoice)
        queryset = queryset.filter(kind=InvoiceKind.RECEIVED, state=InvoiceState.VALIDATED).exclude(
            pk__in=Reconciliation.objects.filter(target_type=invoice_type, undone_at__isnull=True).values("target_id"))
    # Paid already through a settled order: no longer a candidate (an order still generated is a reason).
    queryset = queryset.exclude(pk__in=TransferItem.objects.filter(
        target_type=ContentType.objects.get_for_model(MODELS[kind]), order__state=TransferOrderState.SETTLED)
        .values("target_id"))
    if date_from:
        queryset = queryset.filter(**{f"{date_field}__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{date_field}__lte": date_to})
    return ROWS[kind](queryset, {})


def requests_resolve(requests: list[PaymentRequest], *, lock: bool = False) -> list[Candidate]:
    """The candidates for `requests` in their order (each with its reason when it cannot go); with `lock`
    the target rows are locked for the caller's transaction. Unknown kinds or ids raise LookupError."""
    rows = {}
    for kind in MODELS:
        wanted = {int(r.target_id): r for r in requests if r.kind == kind}
        if not wanted:
            continue
        queryset = _queryset(kind)[0].filter(pk__in=list(wanted))
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        for row in ROWS[kind](queryset, wanted):
            rows[(kind, row.target.pk)] = row
    missing = [r for r in requests if (r.kind, int(r.target_id)) not in rows]
    if missing:
        raise LookupError(", ".join(f"{r.kind}:{r.target_id}" for r in missing))
    return [rows[(r.kind, int(r.target_id))] for r in requests]
