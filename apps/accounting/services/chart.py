"""The chart of accounts: loading the official PGC, adding accounts, third-party subaccounts."""
import csv
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounting.choices import ChartKind
from apps.accounting.errors import AccountingError
from apps.accounting.models import Account, AccountingSettings
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record

DATA = Path(__file__).resolve().parent.parent / "data"
CHART_FILES = {ChartKind.PGC_NORMAL: DATA / "pgc_normal.csv", ChartKind.PGC_PYMES: DATA / "pgc_pymes.csv"}


def chart_rows(chart: str) -> list[dict]:
    with open(CHART_FILES[chart], encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def chart_load(*, chart: str) -> int:
    """Creates the official accounts of `chart` (idempotent); returns how many were created."""
    settings_row, _created = AccountingSettings.objects.get_or_create(pk=1, defaults={"chart": chart})
    if settings_row.chart != chart and Account.objects.exists():
        raise AccountingError(_("Esta correduría ya lleva el %s; el plan contable no se puede cambiar.")
                              % settings_row.get_chart_display())
    settings_row.chart = chart
    settings_row.save(update_fields=["chart"])
    rows = chart_rows(chart)
    existing = set(Account.objects.values_list("code", flat=True))
    fresh = [Account(code=row["code"], name=row["name"], is_official=True, is_postable=row["leaf"] == "1",
                     layout_tag=row["type"]) for row in rows if row["code"] not in existing]
    Account.objects.bulk_create(fresh, batch_size=1000)
    by_code = dict(Account.objects.values_list("code", "pk"))
    parents = [Account(pk=by_code[row["code"]], parent_id=by_code[row["parent"]]) for row in rows if row["parent"]]
    Account.objects.bulk_update(parents, ["parent_id"], batch_size=1000)
    return len(fresh)


def _parent_for(code: str) -> Account | None:
    for length in range(len(code) - 1, 0, -1):
        parent = Account.objects.filter(code=code[:length]).first()
        if parent:
            return parent
    return None


@transaction.atomic
def account_create(*, actor, code: str, name: str, party=None) -> Account:
    """Adds an account below the official one whose code is its longest prefix."""
    code = (code or "").strip()
    if not code.isdigit() or not 3 <= len(code) <= 12:
        raise AccountingError(_("El código de cuenta debe tener entre 3 y 12 dígitos."), field="code")
    if not (name or "").strip():
        raise AccountingError(_("Indique el nombre de la cuenta."), field="name")
    if Account.objects.filter(code=code).exists():
        raise AccountingError(_("Ya existe la cuenta %s.") % code, field="code")
    parent = _parent_for(code)
    if parent is None:
        raise AccountingError(_("No hay ninguna cuenta del plan de la que %s pueda depender.") % code, field="code")
    if parent.lines.exists():
        raise AccountingError(
            _("La cuenta %s ya tiene apuntes: no se le pueden crear subcuentas.") % parent.code, field="code")
    account = Account.objects.create(code=code, name=name.strip(), parent=parent, party=party,
                                     layout_tag=parent.layout_tag, is_postable=True,
                                     created_by=actor if getattr(actor, "pk", None) else None)
    if parent.is_postable:
        Account.objects.filter(pk=parent.pk).update(is_postable=False)
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=account,
                       changes={"code": [None, code], "name": [None, account.name]})
    return account


def party_subaccount(*, actor, party, base_code: str) -> Account:
    """The party's subaccount under `base_code` (e.g. 4300 -> 4300000123), created on first use."""
    existing = Account.objects.filter(party=party, code__startswith=base_code, parent__code=base_code).first()
    if existing:
        return existing
    digits = AccountingSettings.objects.values_list("subaccount_digits", flat=True).first() or 10
    code = base_code + str(party.pk).zfill(digits - len(base_code))
    if len(code) > 12:
        raise AccountingError(_("No cabe el número de tercero %s en una subcuenta.") % party.pk)
    account = Account.objects.filter(code=code).first()
    if account:
        return account
    return account_create(actor=actor, code=code, name=str(party)[:200], party=party)
