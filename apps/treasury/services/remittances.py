"""SEPA direct-debit remittances of broker-collected receipts (issue 7 item 3).

candidates (every receipt due in the range, with the reason it cannot go) -> create (DRAFT) ->
generate the pain.008 (GENERATED) -> charge on the collection date: one entry Dr the bank's 572 /
Cr each insurer's current account, every receipt collected through that entry, mandate uses
registered (CHARGED). A DRAFT or GENERATED remittance may be cancelled (CANCELLED): its receipts are free
again and no mandate use was registered (uses are registered only when the bank charges).

A RETURNED receipt due up to the end of the range is a candidate even if it fell due before its start:
it is what dunning retries, subject to its return reason (services/retries.py).
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from sepaxml import SepaDD

from apps.accounting.services import entry_post
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.collections.choices import CollectionChannel, ReceiptCollector, ReceiptState
from apps.collections.models import Receipt
from apps.collections.services.accounts import insurer_account
from apps.collections.services.receipts import receipt_collect
from apps.core.events import publish
from apps.insurance.choices import PaymentMethod
from apps.insurance.services.numbering import formatted_number
from apps.treasury.choices import MandateState, RemittanceItemState, RemittanceState
from apps.treasury.errors import TreasuryError
from apps.treasury.models import Mandate, Remittance, RemittanceItem
from apps.treasury.services import sepa_xml
from apps.treasury.services.mandates import mandate_is_usable, mandate_register_use, mandate_sequence_type
from apps.treasury.services.retries import last_returns, retry_refusal

JOURNAL = "COB"
SERIES = "REM"
OPEN_STATES = (ReceiptState.ISSUED, ReceiptState.PARTIAL, ReceiptState.RETURNED)
LIVE_STATES = (RemittanceState.DRAFT, RemittanceState.GENERATED)


@dataclass(frozen=True)
class Candidate:
    receipt: Receipt
    mandate: Mandate | None
    reason: str

    @property
    def ok(self) -> bool:
        return not self.reason

    @property
    def amount(self) -> Decimal:
        return self.receipt.outstanding

    @property
    def is_retry(self) -> bool:
        """A returned receipt presented again (dunning)."""
        return self.receipt.state == ReceiptState.RETURNED


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _active_mandates(party_ids) -> dict:
    """The most recently signed active mandate of each party."""
    mandates = {}
    for mandate in Mandate.objects.filter(party_id__in=set(party_ids), state=MandateState.ACTIVE).order_by(
            "party_id", "-signature_date", "-pk"):
        mandates.setdefault(mandate.party_id, mandate)
    return mandates


def _in_live_remittance(receipt_ids, *, exclude=None) -> set:
    items = RemittanceItem.objects.filter(receipt_id__in=receipt_ids, state=RemittanceItemState.INCLUDED,
                                          remittance__state__in=LIVE_STATES)
    if exclude is not None:
        items = items.exclude(remittance=exclude)
    return set(items.values_list("receipt_id", flat=True))


def _iban_ok(value: str) -> bool:
    try:
        IBAN(value)
    except SchwiftyException:
        return False
    return True


def _reason(receipt: Receipt, mandate: Mandate | None, *, busy: set, returns: dict, on_date: datetime.date) -> str:
    if receipt.state not in OPEN_STATES:
        return _("El recibo está %s.") % receipt.get_state_display().lower()
    if receipt.outstanding <= 0:
        return _("El importe a cargar es cero o negativo.")
    if receipt.collector == ReceiptCollector.INSURER:
        return _("Lo cobra la compañía, no la correduría.")
    if receipt.policy.payment_method != PaymentMethod.BROKER_SEPA:
        return _("La póliza no se cobra por domiciliación SEPA.")
    if receipt.pk in busy:
        return _("Ya está en una remesa pendiente de cargo.")
    if mandate is None:
        return _("El tomador no tiene un mandato SEPA activo.")
    refusal = retry_refusal(returns.get(receipt.pk), mandate) if receipt.state == ReceiptState.RETURNED else ""
    if refusal:
        return refusal
    if not _iban_ok(mandate.iban):
        return _("El IBAN del mandato %(ref)s no es válido: %(iban)s.") % {"ref": mandate.reference,
                                                                          "iban": mandate.iban}
    return mandate_is_usable(mandate, on_date)[1]


def _candidates(receipts, *, on_date: datetime.date | None) -> list[Candidate]:
    receipts = list(receipts)
    mandates = _active_mandates(r.policyholder_id for r in receipts)
    busy = _in_live_remittance([r.pk for r in receipts])
    returns = last_returns(r.pk for r in receipts if r.state == ReceiptState.RETURNED)
    return [Candidate(receipt=r, mandate=mandates.get(r.policyholder_id),
                      reason=_reason(r, mandates.get(r.policyholder_id), busy=busy, returns=returns,
                                     on_date=on_date or _debit_date(r, returns.get(r.pk))))
            for r in receipts]


def _debit_date(receipt: Receipt, returned: RemittanceItem | None) -> datetime.date:
    """Without a collection date: the due date, or for a retry the day its debit came back."""
    return max(receipt.due_date, returned.returned_on) if returned and returned.returned_on else receipt.due_date


def remittance_candidates(*, bank_account, due_from: datetime.date, due_to: datetime.date,
                          collection_date: datetime.date | None = None) -> list[Candidate]:
    """Every open receipt of a direct-debit policy due in [due_from, due_to], plus every RETURNED one due up
    to `due_to` however old (the retries of dunning), each with its mandate and, when it cannot go, the
    reason (listed, never silently dropped)."""
    in_range = Q(due_date__range=(due_from, due_to), state__in=OPEN_STATES)
    returned = Q(due_date__lte=due_to, state=ReceiptState.RETURNED)
    receipts = (Receipt.objects.filter(in_range | returned)
                .filter(policy__payment_method=PaymentMethod.BROKER_SEPA)
                .select_related("policyholder", "insurer", "policy").order_by("due_date", "number", "pk"))
    return _candidates(receipts, on_date=collection_date)


def _check_bank(bank_account) -> None:
    if not bank_account.is_active:
        raise TreasuryError(_("La cuenta %s no está activa.") % bank_account, code="treasury_bank_inactive",
                            field="bank_account")
    if not bank_account.creditor_id or not bank_account.bic:
        raise TreasuryError(_("La cuenta %s necesita identificador de acreedor SEPA y BIC para remesar.")
                            % bank_account, code="treasury_bank_creditor", field="bank_account")


@transaction.atomic
def remittance_create(*, actor, bank_account, collection_date: datetime.date, receipts,
                      skip_invalid: bool = False) -> Remittance:
    """A DRAFT remittance of `receipts`. Any receipt that cannot go refuses the whole remittance with
    every reason, unless `skip_invalid` (confirmed by the user): then the rest go."""
    _check_bank(bank_account)
    if not isinstance(collection_date, datetime.date):
        raise TreasuryError(_("Indique la fecha de cargo."), code="treasury_remittance_date", field="collection_date")
    ids = [getattr(r, "pk", r) for r in receipts]
    locked = (Receipt.objects.select_for_update(of=("self",)).filter(pk__in=ids)
              .select_related("policyholder", "insurer", "policy").order_by("due_date", "number", "pk"))
    rows = _candidates(locked, on_date=collection_date)
    refused = [row for row in rows if not row.ok]
    if refused and not skip_invalid:
        detail = "; ".join(f"{row.receipt.number}: {row.reason}" for row in refused)
        raise TreasuryError(_("No se puede remesar: %s") % detail, code="treasury_remittance_invalid",
                            field="receipts", status=409)
    rows = [row for row in rows if row.ok]
    if not rows:
        raise TreasuryError(_("No hay recibos que se puedan remesar."), code="treasury_remittance_empty",
                            field="receipts", status=409)
    remittance = Remittance.objects.create(
        number=formatted_number(series=SERIES, year=collection_date.year), bank_account=bank_account,
        collection_date=collection_date, total=sum((row.amount for row in rows), Decimal("0.00")),
        count=len(rows), created_by=_actor(actor))
    RemittanceItem.objects.bulk_create([
        RemittanceItem(remittance=remittance, receipt=row.receipt, mandate=row.mandate, amount=row.amount,
                       sequence_type=mandate_sequence_type(row.mandate), created_by=_actor(actor),
                       end_to_end_id=f"{remittance.number}-{n:04d}")
        for n, row in enumerate(rows, start=1)])
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=remittance, changes={
        "número": [None, remittance.number], "fecha de cargo": [None, collection_date.isoformat()],
        "adeudos": [None, remittance.count], "importe": [None, str(remittance.total)],
        "excluidos": [None, [row.receipt.number for row in refused]]})
    publish("treasury.remittance.created", pk=remittance.pk, count=remittance.count)
    return remittance


def _locked(remittance) -> Remittance:
    return (Remittance.objects.select_for_update(of=("self",)).select_related("bank_account__account")
            .get(pk=getattr(remittance, "pk", remittance)))


def _items(remittance):
    return (remittance.items.filter(state=RemittanceItemState.INCLUDED)
            .select_related("mandate", "receipt__policyholder", "receipt__insurer__party").order_by("pk"))


def _payment(item: RemittanceItem, collection_date: datetime.date) -> dict:
    payment = {"name": str(item.receipt.policyholder), "IBAN": item.mandate.iban,
               "amount": sepa_xml.cents(item.amount), "type": item.sequence_type,
               "collection_date": collection_date, "mandate_id": item.mandate.reference,
               "mandate_date": item.mandate.signature_date, "endtoend_id": item.end_to_end_id,
               "description": _("Recibo %(number)s") % {"number": item.receipt.number}}
    if item.mandate.bic:
        payment["BIC"] = item.mandate.bic
    return payment


def remittance_xml(remittance: Remittance) -> str:
    """The pain.008.001.02 of the remittance, validated against the XSD (TreasuryError otherwise)."""
    bank = remittance.bank_account
    debit = SepaDD({"name": sepa_xml.creditor_name(), "IBAN": bank.iban, "BIC": bank.bic, "batch": True,
                    "creditor_id": bank.creditor_id, "currency": "EUR", "instrument": "CORE"},
                   schema=sepa_xml.DD_SCHEMA, clean=True)
    for item in _items(remittance):
        debit.add_payment(_payment(item, remittance.collection_date))
    xml = sepa_xml.as_text(debit.export(validate=False))
    sepa_xml.xml_validate(xml, sepa_xml.DD_SCHEMA)
    return xml


@transaction.atomic
def remittance_generate(*, actor, remittance: Remittance) -> str:
    """Builds and saves the pain.008 (mandates checked again, sequence types recomputed); state GENERATED.
    A GENERATED remittance may be generated again (e.g. after a mandate changed)."""
    remittance = _locked(remittance)
    if remittance.state not in LIVE_STATES:
        raise TreasuryError(_("La remesa %(number)s está %(state)s: ya no se puede generar el fichero.") % {
            "number": remittance.number, "state": remittance.get_state_display().lower()},
            code="treasury_remittance_state", status=409)
    _check_bank(remittance.bank_account)
    for item in _items(remittance):
        usable, reason = mandate_is_usable(item.mandate, remittance.collection_date)
        if not usable:
            raise TreasuryError(_("Recibo %(number)s: %(reason)s") % {"number": item.receipt.number,
                                                                       "reason": reason},
                                code="treasury_mandate_unusable", status=409)
        sequence = mandate_sequence_type(item.mandate)
        if sequence != item.sequence_type:
            item.sequence_type = sequence
            item.save(update_fields=["sequence_type"])
    xml = remittance_xml(remittance)
    before = remittance.state
    remittance.xml, remittance.message_id = xml, sepa_xml.message_id(xml)[:35]
    remittance.state, remittance.updated_by = RemittanceState.GENERATED, _actor(actor)
    remittance.save(update_fields=["xml", "message_id", "state", "updated_by", "updated_at"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="remittance_generate", obj=remittance,
                       changes={"estado": [before, remittance.state], "mensaje": [None, remittance.message_id]})
    publish("treasury.remittance.generated", pk=remittance.pk, message_id=remittance.message_id)
    return xml


def _charge_lines(remittance: Remittance, items, *, actor) -> list[dict]:
    description = _("Cargo de la remesa %s") % remittance.number
    per_insurer = defaultdict(lambda: Decimal("0.00"))
    insurers = {}
    for item in items:
        per_insurer[item.receipt.insurer_id] += item.amount
        insurers[item.receipt.insurer_id] = item.receipt.insurer
    total = sum(per_insurer.values(), Decimal("0.00"))
    lines = [{"account": remittance.bank_account.account, "debit": total, "description": description}]
    lines += [{"account": insurer_account(insurers[pk], actor=actor), "credit": amount,
               "insurer": insurers[pk].party, "description": description}
              for pk, amount in sorted(per_insurer.items())]
    return lines


@transaction.atomic
def remittance_charge(*, actor, remittance: Remittance, date: datetime.date | None = None) -> Remittance:
    """The bank charged the remittance on `date` (default: its collection date): one combined entry,
    every receipt collected through it (commission earned) and every mandate use registered."""
    remittance = _locked(remittance)
    if remittance.state != RemittanceState.GENERATED:
        raise TreasuryError(_("Solo se carga una remesa con el fichero generado (la %(number)s está %(state)s).") % {
            "number": remittance.number, "state": remittance.get_state_display().lower()},
            code="treasury_remittance_state", status=409)
    date = date or remittance.collection_date
    items = list(_items(remittance))
    if not items:
        raise TreasuryError(_("La remesa no tiene adeudos que cargar."), code="treasury_remittance_empty",
                            status=409)
    entry = entry_post(actor=actor, date=date, journal=JOURNAL, lines=_charge_lines(remittance, items, actor=actor),
                       description=_("Cargo de la remesa %s") % remittance.number,
                       source=f"remittance:{remittance.pk}")
    for item in items:
        receipt_collect(actor=actor, receipt=item.receipt, date=date, amount=item.amount,
                        channel=CollectionChannel.SEPA, entry=entry)
        mandate_register_use(actor=actor, mandate=item.mandate, on_date=date)
    remittance.state, remittance.entry, remittance.updated_by = RemittanceState.CHARGED, entry, _actor(actor)
    remittance.save(update_fields=["state", "entry", "updated_by", "updated_at"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="remittance_charge", obj=remittance,
                       changes={"estado": [RemittanceState.GENERATED, RemittanceState.CHARGED],
                                "fecha": [None, date.isoformat()], "asiento": [None, entry.pk]})
    publish("treasury.remittance.charged", pk=remittance.pk, entry=entry.pk)
    return remittance


@transaction.atomic
def remittance_cancel(*, actor, remittance: Remittance, reason: str) -> Remittance:
    """Cancels a DRAFT or GENERATED remittance (its file never reached the bank): state CANCELLED, its
    receipts free for another remittance. Mandate uses are registered only by remittance_charge, so none
    is undone here: a mandate never charged stays FRST for its next debit. A CHARGED remittance is final:
    its debits are returned one by one instead."""
    remittance = _locked(remittance)
    if remittance.state == RemittanceState.CHARGED:
        raise TreasuryError(_("La remesa %s ya está cargada: no se puede anular; registre la devolución de sus "
                              "adeudos.") % remittance.number, code="treasury_remittance_charged", status=409)
    if remittance.state not in LIVE_STATES:
        raise TreasuryError(_("La remesa %(number)s está %(state)s: no se puede anular.") % {
            "number": remittance.number, "state": remittance.get_state_display().lower()},
            code="treasury_remittance_state", status=409)
    reason = (reason or "").strip()
    if not reason:
        raise TreasuryError(_("Indique el motivo de la anulación."), code="treasury_reason_required", field="reason")
    before = remittance.state
    remittance.state, remittance.updated_by = RemittanceState.CANCELLED, _actor(actor)
    remittance.save(update_fields=["state", "updated_by", "updated_at"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="remittance_cancel", obj=remittance,
                       changes={"estado": [before, remittance.state], "motivo": [None, reason[:300]]})
    publish("treasury.remittance.cancelled", pk=remittance.pk, number=remittance.number)
    return remittance
