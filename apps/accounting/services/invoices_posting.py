"""The entry an invoice posts (the VAT books and models 303/347 read this layout).

Issued:   D party subaccount of «clients» (4300xxxx)            total
          H income account per (account, ramo, aseguradora)     base
          H tax account (477) per VAT / surcharge rate          amount, tax + tax_base
          D «withholding_receivable» (473) per IRPF rate        amount, tax + tax_base
Received: D expense account per (account, ramo, aseguradora)    base
          D «vat_input» (472) per VAT / surcharge rate          amount, tax + tax_base
          H «withholding_payable» (4751) per IRPF rate          amount, tax + tax_base
          H party subaccount of «creditors» (4100xxxx)          total

Exempt and 0 % lines have no tax amount to post: the income/expense line itself carries the tax
and its base. A negative amount (rectifying invoices) goes to the other side; tax_base keeps
its sign.
"""
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.accounting.choices import InvoiceKind, TaxKind
from apps.accounting.services.chart import party_subaccount
from apps.accounting.services.posting import LineSpec
from apps.accounting.services.setup import mapped_account

ZERO = Decimal("0.00")


def _side(amount: Decimal, *, debit: bool) -> dict:
    """Debit (or credit) `amount`; a negative amount goes to the other side, positive."""
    if amount < 0:
        amount, debit = -amount, not debit
    return {"debit": amount, "credit": ZERO} if debit else {"debit": ZERO, "credit": amount}


def _tags_base_line(tax) -> bool:
    """Exempt and 0 % VAT leave no tax line: the base line carries the tax instead."""
    return tax is not None and (tax.kind == TaxKind.VAT_EXEMPT or not tax.rate)


def entry_lines(*, actor, invoice, lines) -> list[LineSpec]:
    issued = invoice.kind == InvoiceKind.ISSUED
    party = invoice.party
    label = f"{_('Factura')} {invoice.full_number}"[:250]
    specs = []

    # Party: clients (issued) or creditors (received), one subaccount per party.
    role = "clients" if issued else "creditors"
    party_account = party_subaccount(actor=actor, party=party, base_code=mapped_account(role).code)
    party_spec = LineSpec(account=party_account, party=party, description=label, **_side(invoice.total, debit=issued))

    # Income / expense per account and analytic tags (exempt and 0 % bases tagged with their tax).
    bases = defaultdict(lambda: ZERO)
    for line in lines:
        tagged = line.vat if _tags_base_line(line.vat) else None
        bases[(line.account, line.line_of_business, line.insurer, tagged)] += line.base
    base_specs = []
    for (account, lob, insurer, tax), amount in bases.items():
        if not amount:
            continue
        base_specs.append(LineSpec(
            account=account, party=party, description=label, tax=tax, tax_base=amount if tax else None,
            line_of_business=lob, insurer=insurer, **_side(amount, debit=not issued)))

    # Taxes per rate.
    tax_rows = defaultdict(lambda: [ZERO, ZERO])  # tax -> [base, amount]
    for line in lines:
        for tax, amount in ((line.vat, line.vat_amount), (line.surcharge, line.surcharge_amount),
                            (line.withholding, line.withholding_amount)):
            if tax is None or (tax.kind != TaxKind.WITHHOLDING and _tags_base_line(tax)):
                continue  # exempt and 0 %: tagged on the base line above
            tax_rows[tax][0] += line.base
            tax_rows[tax][1] += amount
    tax_specs = []
    for tax, (base, amount) in sorted(tax_rows.items(), key=lambda item: (item[0].kind, -item[0].rate)):
        if not amount:
            continue
        if tax.kind == TaxKind.WITHHOLDING:
            account = mapped_account("withholding_receivable" if issued else "withholding_payable")
            side = _side(amount, debit=issued)
        elif issued:
            account = tax.account or mapped_account("vat_output")
            side = _side(amount, debit=False)
        else:
            account = tax.account if tax.kind == TaxKind.VAT_INPUT and tax.account else mapped_account("vat_input")
            side = _side(amount, debit=True)
        tax_specs.append(LineSpec(account=account, party=party, description=label, tax=tax, tax_base=base, **side))

    if issued:
        specs = [party_spec, *base_specs, *tax_specs]
    else:
        specs = [*base_specs, *tax_specs, party_spec]
    return specs
