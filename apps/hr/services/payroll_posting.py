"""Paying a posted payroll run (issue 8 item 6): a pain.001.001.03 transfer order of the net pay from the
default bank account, stored as a treasury TransferOrder whose items are PAYROLL items (one per payslip).

The treasury's transfer_order_create resolves only its own sources (settlements, claim payments, invoices),
so the order is built here with the same pieces (numbering series TRF, transfer_xml validated against the
XSD before anything is saved). When the bank charges the order, treasury's transfer_order_settle calls the
poster this module registers in its POSTERS registry: Dr 465 (the employee, as description) / Cr bank,
one entry per payslip. The reconciliation needs nothing more: a statement line matching the order is the
«transfer order» target, which settles it.
"""
import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from apps.accounting.services import LineSpec, entry_post
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.hr.choices import PayrollRunState
from apps.hr.errors import HRError
from apps.hr.models import Payslip
from apps.hr.services.payroll import ACCOUNTS, _actor, _locked, _state_error
from apps.insurance.services.numbering import formatted_number
from apps.treasury.choices import TransferItemKind
from apps.treasury.models import TransferItem, TransferOrder
from apps.treasury.services import transfer_orders
from apps.treasury.services.accounts import default_bank_account
from apps.treasury.services.transfers import Payment, transfer_xml

BANK_JOURNAL = "BAN"


def _iban(value: str) -> str | None:
    try:
        return IBAN(value or "").compact
    except SchwiftyException:
        return None


def payee_rows(run) -> tuple[list, list]:
    """(payslips that can be paid with their clean IBAN, [(payslip, reason)] refused)."""
    ok, refused = [], []
    for slip in run.payslips.select_related("employee").order_by("employee__last_name", "employee__first_name"):
        iban = _iban(slip.employee.iban)
        if not slip.employee.iban:
            refused.append((slip, _("%s no tiene IBAN para la nómina.") % slip.employee.full_name))
        elif iban is None:
            refused.append((slip, _("El IBAN %s no es válido.") % slip.employee.iban))
        elif slip.net <= 0:
            refused.append((slip, _("El líquido es cero.")))
        else:
            ok.append((slip, iban))
    return ok, refused


@transaction.atomic
def payroll_run_pay(*, actor, run, execution_date: datetime.date | None = None, bank_account=None):
    """Generates the transfer order of the POSTED run's net pay (execution on the run's payment date by
    default) and marks the run PAID. `run.refused` lists (payslip, reason) of employees left out."""
    run = _locked(run)
    if run.state != PayrollRunState.POSTED:
        raise _state_error(run, _("pagar"))
    bank_account = bank_account or default_bank_account()
    if bank_account is None or not bank_account.is_active:
        raise HRError(_("No hay una cuenta bancaria por defecto activa para el cargo."),
                      code="hr_payroll_bank", status=409)
    execution_date = execution_date or run.payment_date
    ok, refused = payee_rows(run)
    if not ok:
        raise HRError(_("Ningún empleado de la nómina tiene IBAN válido: no hay nada que transferir."),
                      code="hr_payroll_no_iban", status=409)
    number = formatted_number(series=transfer_orders.SERIES, year=execution_date.year)
    description = _("Nómina %s") % run
    references = [f"{number}-{n:04d}" for n in range(1, len(ok) + 1)]
    payments = [Payment(name=slip.employee.full_name[:70], iban=iban, bic="", amount=slip.net, reference=ref,
                        description=description) for (slip, iban), ref in zip(ok, references)]
    xml, message_id = transfer_xml(bank_account=bank_account, payments=payments, execution_date=execution_date)
    total = sum((slip.net for slip, _iban_ in ok), Decimal("0.00"))
    order = TransferOrder.objects.create(
        number=number, bank_account=bank_account, execution_date=execution_date, total=total, count=len(ok),
        message_id=message_id[:35], xml=xml, created_by=_actor(actor), updated_by=_actor(actor))
    slip_type = ContentType.objects.get_for_model(Payslip)
    TransferItem.objects.bulk_create([
        TransferItem(order=order, kind=TransferItemKind.PAYROLL, target_type=slip_type, target_id=slip.pk,
                     payee_name=slip.employee.full_name[:200], iban=iban, amount=slip.net, end_to_end_id=ref,
                     description=description[:140], created_by=_actor(actor))
        for (slip, iban), ref in zip(ok, references)], batch_size=500)
    run.transfer_order, run.state, run.updated_by = order, PayrollRunState.PAID, _actor(actor)
    run.version += 1
    run.save(update_fields=["transfer_order", "state", "updated_by", "updated_at", "version"])
    run.refused = refused
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="payroll_run_pay", obj=run, changes={
        "estado": [PayrollRunState.POSTED, PayrollRunState.PAID], "orden": [None, number],
        "importe": [None, str(total)], "rechazados": [None, [reason for _slip, reason in refused]]})
    publish("hr.payroll_run.paid", pk=run.pk, order=order.pk, count=len(ok), total=str(total))
    publish("treasury.transfer_order.created", pk=order.pk, number=number, count=len(ok), total=str(total))
    return run


def post_payroll_item(*, actor, order, item, date):
    """The payment entry of one payroll transfer item when the bank charges the order: Dr 465 / Cr bank."""
    label = (_("Pago de nómina a %(name)s (orden %(order)s)") % {"name": item.payee_name,
                                                                 "order": order.number})[:250]
    return entry_post(actor=actor, date=date, journal=BANK_JOURNAL, description=label,
                      source=f"treasury.transfer_item:{item.pk}",
                      lines=[LineSpec(account=ACCOUNTS["payable"], debit=item.amount, description=label),
                             LineSpec(account=order.bank_account.account, credit=item.amount, description=label)])


def register() -> None:
    transfer_orders.POSTERS[TransferItemKind.PAYROLL] = post_payroll_item
