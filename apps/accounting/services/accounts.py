"""Taking an account out of use (baja) and back (alta). Accounts are never deleted once in the chart."""
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from apps.accounting.errors import AccountingError
from apps.accounting.models import Account, AccountMapping, EntryLine, Tax
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.money import format_eur


@transaction.atomic
def account_set_active(*, actor, account: Account, active: bool) -> Account:
    """Deactivates (no new postings) or reactivates an account.

    Refused while the account (or one of its subaccounts) has a balance, or while a posting role or a
    tax still points at it: automatic postings would fail later with a less clear message."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.is_active == active:
        return account
    if not active:
        mapping = AccountMapping.objects.filter(account=account).first()
        if mapping:
            raise AccountingError(
                _("La cuenta %(code)s está asignada a la función «%(role)s»: asigne otra cuenta antes de darla de baja.")
                % {"code": account.code, "role": mapping.role})
        tax = Tax.objects.filter(account=account, is_active=True).first()
        if tax:
            raise AccountingError(_("La cuenta %(code)s es la del impuesto %(tax)s: no se puede dar de baja.")
                                  % {"code": account.code, "tax": tax.code})
        totals = EntryLine.objects.filter(account__code__startswith=account.code, is_posted=True).aggregate(
            d=Sum("debit"), c=Sum("credit"))
        balance = (totals["d"] or Decimal(0)) - (totals["c"] or Decimal(0))
        if balance:
            raise AccountingError(_("La cuenta %(code)s tiene saldo %(balance)s: sáldela antes de darla de baja.")
                                  % {"code": account.code, "balance": format_eur(balance)})
    account.is_active = active
    account.version += 1
    account.updated_by = actor if getattr(actor, "pk", None) else None
    account.save(update_fields=["is_active", "version", "updated_by", "updated_at"])
    audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=account, changes={"is_active": [not active, active]})
    return account
