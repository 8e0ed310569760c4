"""The brokerage's bank accounts: IBAN/BIC valid, SEPA creditor identifier valid, a 572 ledger account
and at most one default collection account (marking another as default unmarks the previous one)."""
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from apps.accounting.models import Account
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.treasury.errors import TreasuryError
from apps.treasury.models import BankAccount
from apps.treasury.validators import creditor_id_build, creditor_id_check

BANK_PARENT = "572"
FIELDS = ("name", "iban", "bic", "creditor_id", "account", "is_default", "is_active")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def iban_clean(value: str, *, field: str = "iban") -> str:
    """The IBAN compact and upper-case, or TreasuryError naming the reason."""
    try:
        return IBAN(value or "").compact
    except SchwiftyException as exc:
        raise TreasuryError(_("«%(value)s» no es un IBAN válido (%(reason)s).") % {"value": value, "reason": exc},
                            code="treasury_iban", field=field) from None


def bic_clean(value: str, *, field: str = "bic") -> str:
    value = (value or "").replace(" ", "").upper()
    if not value:
        return ""
    try:
        return str(BIC(value))
    except SchwiftyException:
        raise TreasuryError(_("«%s» no es un BIC válido.") % value, code="treasury_bic", field=field) from None


def tenant_creditor_id(suffix: str = "000") -> str:
    """The creditor identifier built from this brokerage's NIF."""
    return creditor_id_build(getattr(connection.tenant, "tax_id", ""), suffix)


def _account(value) -> Account:
    account = value if isinstance(value, Account) else Account.objects.filter(pk=value).first()
    if account is None or not account.code.startswith(BANK_PARENT):
        raise TreasuryError(_("La cuenta contable de un banco debe ser la 572 o una subcuenta suya."),
                            code="treasury_bank_ledger", field="account")
    if not account.is_postable:
        raise TreasuryError(_("La cuenta %s tiene subcuentas: elija una que admita asientos.") % account.code,
                            code="treasury_bank_ledger", field="account")
    return account


def _clean(values: dict, *, exclude_pk=None) -> dict:
    values = dict(values)
    values["name"] = (values.get("name") or "").strip()
    if not values["name"]:
        raise TreasuryError(_("Indique el nombre de la cuenta bancaria."), code="treasury_bank_name", field="name")
    values["iban"] = iban_clean(values.get("iban"))
    if BankAccount.objects.filter(iban=values["iban"]).exclude(pk=exclude_pk).exists():
        raise TreasuryError(_("Ya hay una cuenta bancaria con el IBAN %s.") % values["iban"],
                            code="treasury_bank_duplicate", field="iban")
    values["bic"] = bic_clean(values.get("bic"))
    creditor = (values.get("creditor_id") or "").strip()
    values["creditor_id"] = creditor_id_check(creditor) if creditor else ""
    values["account"] = _account(values.get("account"))
    values["is_default"] = bool(values.get("is_default"))
    values["is_active"] = bool(values.get("is_active", True))
    if values["is_default"] and not values["is_active"]:
        raise TreasuryError(_("La cuenta de cobros por defecto debe estar activa."), code="treasury_bank_default",
                            field="is_default")
    return values


def _unset_other_defaults(bank_account: BankAccount) -> None:
    if bank_account.is_default:
        BankAccount.objects.filter(is_default=True).exclude(pk=bank_account.pk).update(is_default=False)


def _save(bank_account: BankAccount) -> None:
    try:
        bank_account.full_clean(exclude=["account", "iban", "bic", "creditor_id"])
    except ValidationError as exc:
        raise TreasuryError("; ".join(exc.messages), code="treasury_bank_invalid") from None
    bank_account.save()


@transaction.atomic
def bank_account_create(*, actor, name: str, iban: str, account, bic: str = "", creditor_id: str = "",
                        is_default: bool = False, is_active: bool = True) -> BankAccount:
    values = _clean({"name": name, "iban": iban, "bic": bic, "creditor_id": creditor_id, "account": account,
                     "is_default": is_default, "is_active": is_active})
    bank_account = BankAccount(**values, created_by=_actor(actor))
    if bank_account.is_default:
        BankAccount.objects.filter(is_default=True).update(is_default=False)
    _save(bank_account)
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=bank_account, changes={
        "nombre": [None, bank_account.name], "IBAN": [None, bank_account.iban],
        "acreedor": [None, bank_account.creditor_id], "cuenta": [None, bank_account.account.code]})
    publish("treasury.bank_account.created", pk=bank_account.pk)
    return bank_account


@transaction.atomic
def bank_account_update(*, actor, bank_account: BankAccount, **changes) -> BankAccount:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TreasuryError(_("Campos desconocidos: %s.") % ", ".join(sorted(unknown)), code="treasury_bank_fields")
    bank_account = BankAccount.objects.select_for_update(of=("self",)).get(pk=bank_account.pk)
    current = {field: getattr(bank_account, field) for field in FIELDS}
    values = _clean({**current, **changes}, exclude_pk=bank_account.pk)
    diff = {}
    for field, value in values.items():
        before = current[field]
        if before != value:
            diff[field] = [str(getattr(before, "code", before)), str(getattr(value, "code", value))]
            setattr(bank_account, field, value)
    if diff:
        _unset_other_defaults(bank_account)
        _save(bank_account)
        audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=bank_account, changes=diff)
        publish("treasury.bank_account.updated", pk=bank_account.pk, fields=sorted(diff))
    return bank_account


def default_bank_account() -> BankAccount | None:
    return BankAccount.objects.filter(is_default=True, is_active=True).select_related("account").first()
