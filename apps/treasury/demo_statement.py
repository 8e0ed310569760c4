"""The demo's Norma 43 statement (step 4 of apps.treasury.demo): last month on the collections account.

Movements, as the bank would report them: the credit of last month's remittance, the debits of its returned
debits and the return fee, the transfers paying the insurer settlements paid last month (the last one
without the settlement number or the insurer's name, as a bank often writes it), the account's maintenance
fee and a transfer from a payer the brokerage does not know. Written with services/norma43_writer.py,
imported with statement_import and run through reconcile_auto: the remittance and the named settlements
end reconciled, the unnamed settlement proposed (amount and date only), the rest pending for a person."""
import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Q, Sum

from apps.treasury.choices import RemittanceItemState, RemittanceState
from apps.treasury.demo import last_month
from apps.treasury.models import BankAccount, Remittance
from apps.treasury.services.norma43_writer import Movement, norma43_write

BANK_FEES = ["12.00", "14.50", "15.75", "18.30"]
UNKNOWN_TRANSFERS = ["327.18", "412.09", "286.44", "519.63"]
UNKNOWN_PAYER = "ORDENANTE: HORTENSIA BELMONTE ESCRIVA"


def _unused(values: list[str], *, credit: bool) -> Decimal:
    """The first amount that matches no receipt, remittance or settlement (it must stay pending)."""
    from apps.collections.models import Receipt, Settlement

    for value in values:
        amount = Decimal(value)
        clash = (Settlement.objects.filter(amount_due=-amount if credit else amount).exists()
                 or (credit and (Receipt.objects.filter(Q(total_premium=amount) | Q(collected_amount=amount)).exists()
                                 or Remittance.objects.filter(total=amount).exists())))
        if not clash:
            return amount
    return Decimal(values[0]) + Decimal("0.01")


def _opening_balance(bank: BankAccount, start: datetime.date) -> Decimal:
    from apps.accounting.models import EntryLine

    totals = EntryLine.objects.filter(account=bank.account, is_posted=True, date__lt=start).aggregate(
        d=Sum("debit"), c=Sum("credit"))
    return (totals["d"] or Decimal("0")) - (totals["c"] or Decimal("0"))


def _return_fee(bank: BankAccount, item) -> Decimal:
    """The fee return_record posted for `item` (Cr the bank), or zero."""
    from apps.accounting.models import EntryLine

    return EntryLine.objects.filter(entry__source=f"remittance_item:{item.pk}", account=bank.account).aggregate(
        t=Sum("credit"))["t"] or Decimal("0")


def _remittance_movements(bank: BankAccount, start: datetime.date, end: datetime.date) -> list[Movement]:
    remittance = (Remittance.objects.filter(bank_account=bank, state=RemittanceState.CHARGED,
                                            collection_date__range=(start, end)).order_by("collection_date").first())
    if remittance is None:
        return []
    movements = [Movement(remittance.collection_date, remittance.total, common_concept="06", own_concept="041",
                          reference2=remittance.number,
                          concepts=("ABONO REMESA ADEUDOS SEPA CORE",
                                    f"{remittance.number} {remittance.count} ADEUDOS"))]
    for item in (remittance.items.filter(state=RemittanceItemState.RETURNED, returned_on__range=(start, end))
                 .select_related("receipt__policyholder").order_by("returned_on", "pk")):
        holder = str(item.receipt.policyholder)
        movements.append(Movement(item.returned_on, -item.amount, common_concept="14", own_concept="052",
                                  concepts=(f"DEVOLUCION ADEUDO SEPA {item.return_code}", item.end_to_end_id, holder)))
        fee = _return_fee(bank, item)
        if fee:
            movements.append(Movement(item.returned_on, -fee, common_concept="17", own_concept="110",
                                      concepts=("COMISION DEVOLUCION ADEUDO", item.end_to_end_id)))
    return movements


def _settlement_movements(start: datetime.date, end: datetime.date) -> list[Movement]:
    from apps.collections.choices import SettlementState
    from apps.collections.models import Settlement

    paid = list(Settlement.objects.filter(state=SettlementState.PAID, paid_on__range=(start, end))
                .exclude(amount_due=0).select_related("insurer").order_by("paid_on", "number"))
    movements = []
    for n, settlement in enumerate(paid, start=1):
        named = n < len(paid)
        concepts = (("TRANSFERENCIA EMITIDA", f"LIQ {settlement.number} {settlement.insurer.name}") if named
                    else ("TRANSFERENCIA EMITIDA SEPA", "ORDEN DE PAGO A PROVEEDOR"))
        movements.append(Movement(settlement.paid_on, -settlement.amount_due, common_concept="04", own_concept="091",
                                  concepts=concepts))
    return movements


def statement_seed(*, admin, bank: BankAccount, today: datetime.date) -> dict:
    from apps.treasury.services.norma43 import statement_import
    from apps.treasury.services.reconciliation import reconcile_auto

    start, end = last_month(today)
    movements = _remittance_movements(bank, start, end) + _settlement_movements(start, end)
    movements += [
        Movement(end, -_unused(BANK_FEES, credit=False), common_concept="17", own_concept="100",
                 concepts=("COMISION MANTENIMIENTO CUENTA", f"PERIODO {start:%m/%Y}")),
        Movement(start + datetime.timedelta(days=17), _unused(UNKNOWN_TRANSFERS, credit=True), common_concept="02",
                 own_concept="075", concepts=("TRANSFERENCIA A SU FAVOR", UNKNOWN_PAYER, "CONCEPTO: PAGO")),
    ]
    movements.sort(key=lambda m: m.operation_date)
    data = norma43_write(iban=bank.iban, start_date=start, end_date=end, opening_balance=_opening_balance(bank, start),
                         movements=movements, holder=getattr(connection.tenant, "name", ""))
    result = statement_import(actor=admin, data=data, file_name=f"N43_{bank.iban[-4:]}_{start:%Y%m}.txt")
    lines = [line for statement in result.statements for line in statement.lines.all()]
    summary = reconcile_auto(actor=admin, lines=lines)
    return {"lines": result.created, "reconciled": summary.reconciled, "proposed": summary.proposed,
            "pending": summary.pending}
