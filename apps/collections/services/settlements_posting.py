"""The books of a settlement with an insurer, through apps.accounting.services only.

Closing (settlement_post), for the settlement's commission_total C:
  1. A VAT-exempt commission invoice to the insurer (mediation, art. 20.Uno.16º LIVA: tax EXENTO20,
     income account of role «commission_income»). The issued invoice posts
         Dr clients subaccount of the insurer's Party (4300xxxx)  C  /  Cr 705  C
     A negative C is a rectifying invoice (R1, by differences) of the insurer's last commission
     invoice; C = 0 posts nothing.
  2. The offset of the commission against the insurer current account:
         Dr insurer current account (role «insurers», 4000xxxx)  C  /  Cr 4300xxxx  C
     The collections credited the current account with the premiums the broker collected, so
     after this entry its balance is the settlement's amount_due (credit: owed to the insurer).
Payment (settlement_payment_post): Dr insurer account / Cr bank for a positive amount_due (the
broker pays), Dr bank / Cr insurer account for a negative one (the insurer pays).
"""
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.accounting.choices import InvoiceKind, InvoiceState
from apps.accounting.models import Invoice
from apps.accounting.services import LineSpec, entry_post, mapped_account, party_subaccount
from apps.accounting.services.invoices import invoice_issue, invoice_rectify
from apps.collections.models import Settlement
from apps.collections.selectors_settlements import settlement_period_label

EXEMPT_TAX = "EXENTO20"


def _accounts(actor, insurer):
    """(the insurer's crm Party, its current account) — the ones the collections post to."""
    from apps.collections.services.accounts import insurer_account, insurer_party

    return insurer_party(insurer), insurer_account(insurer)


def _sides(amount: Decimal, *, debit_account, credit_account, party, description: str) -> list[LineSpec]:
    """Dr debit_account / Cr credit_account for a positive amount, the reverse for a negative one."""
    if amount < 0:
        amount, debit_account, credit_account = -amount, credit_account, debit_account
    return [LineSpec(account=debit_account, party=party, debit=amount, description=description),
            LineSpec(account=credit_account, party=party, credit=amount, description=description)]


def _invoice_to_rectify(settlement: Settlement, party) -> Invoice | None:
    """The insurer's last original commission invoice (from its settlements, else any issued to it)."""
    invoice_ids = (Settlement.objects.filter(insurer=settlement.insurer_id, invoice__isnull=False,
                                             invoice__rectifies__isnull=True)
                   .exclude(pk=settlement.pk).order_by("-date", "-pk").values_list("invoice_id", flat=True))
    original = Invoice.objects.filter(pk__in=list(invoice_ids[:1])).first()
    if original is None:
        original = (Invoice.objects.filter(kind=InvoiceKind.ISSUED, party=party, state=InvoiceState.VALIDATED,
                                           rectifies__isnull=True).order_by("-issue_date", "-pk").first())
    return original


def _invoice(actor, settlement: Settlement, party, income, label: str) -> Invoice | None:
    total = settlement.commission_total
    line = {"description": label, "quantity": Decimal("1"), "unit_price": abs(total), "account": income,
            "vat": EXEMPT_TAX, "insurer": party}
    if total > 0:
        return invoice_issue(actor=actor, kind=InvoiceKind.ISSUED, party=party, issue_date=settlement.date,
                             operation_date=settlement.period_end if settlement.period_end <= settlement.date
                             else None, lines=[line],
                             notes=_("Liquidación %s con la compañía.") % settlement.number)
    original = _invoice_to_rectify(settlement, party)
    if original is None:
        return None
    return invoice_rectify(
        actor=actor, invoice=original, issue_date=settlement.date, code="R1",
        lines=[{**line, "quantity": Decimal("-1")}],
        reason=_("Retrocesión de comisiones por devoluciones y extornos (liquidación %s).") % settlement.number)


def settlement_post(*, actor, settlement: Settlement) -> Settlement:
    """Invoice + offset entry for the settlement's commission (see the module doc); sets
    settlement.invoice and settlement.entry. Runs inside settlement_close's transaction."""
    total = settlement.commission_total
    if not total:
        return settlement
    party, current = _accounts(actor, settlement.insurer)
    income = mapped_account("commission_income")
    period = settlement_period_label(settlement.period_start, settlement.period_end)
    label = (_("Comisiones de mediación, liquidación %(number)s (%(period)s)")
             % {"number": settlement.number, "period": period})[:250]
    invoice = _invoice(actor, settlement, party, income, label)
    if invoice is not None:
        counterpart = party_subaccount(actor=actor, party=party, base_code=mapped_account("clients").code)
    else:
        # No earlier commission invoice to rectify: the reversal goes straight to the income account.
        counterpart = income
    entry = entry_post(
        actor=actor, date=settlement.date, journal="GEN", source=f"collections.settlement:{settlement.pk}",
        description=(_("Liquidación %(number)s con %(insurer)s: comisiones") % {
            "number": settlement.number, "insurer": settlement.insurer})[:250],
        lines=_sides(total, debit_account=current, credit_account=counterpart, party=party, description=label))
    settlement.invoice, settlement.entry = invoice, entry
    settlement.save(update_fields=["invoice", "entry", "updated_at"])
    return settlement


def settlement_payment_post(*, actor, settlement: Settlement, date: datetime.date, bank=None):
    """The payment of the balance (None when the balance is zero). `bank`: the ledger account of the
    bank that paid (default: the account mapped to the «bank» role)."""
    amount = settlement.amount_due
    if not amount:
        return None
    party, current = _accounts(actor, settlement.insurer)
    label = (_("Pago de la liquidación %(number)s con %(insurer)s") % {
        "number": settlement.number, "insurer": settlement.insurer})[:250]
    return entry_post(actor=actor, date=date, journal="BAN", source=f"collections.settlement:{settlement.pk}",
                      description=label, lines=_sides(amount, debit_account=current,
                                                      credit_account=bank or mapped_account("bank"), party=party,
                                                      description=label))
