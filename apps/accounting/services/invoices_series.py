"""Invoice series (F issued, R rectifying, P received, or the brokerage's own): the rules the
generic series pages call. A series that already numbered invoices keeps its code and kind."""
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounting.errors import AccountingError
from apps.accounting.models import InvoiceSeries
from apps.core.services.records import record_create, record_update

FROZEN = ("code", "kind", "is_rectifying")


def _check(data: dict) -> dict:
    data = dict(data)
    if "code" in data:
        code = (data.get("code") or "").strip().upper()
        if not code or not code.replace("-", "").isalnum():
            raise AccountingError(_("El código de serie admite letras, números y guiones (p. ej. F, R, P, H)."),
                                  field="code")
        data["code"] = code
    if data.get("is_rectifying") and data.get("kind") == "received":
        raise AccountingError(_("Las series rectificativas son de facturas emitidas."), field="is_rectifying")
    return data


@transaction.atomic
def invoice_series_create(*, actor, model=InvoiceSeries, data: dict) -> InvoiceSeries:
    data = _check(data)
    if InvoiceSeries.objects.filter(code=data.get("code")).exists():
        raise AccountingError(_("Ya existe la serie %s.") % data["code"], field="code")
    return record_create(actor=actor, model=InvoiceSeries, data=data)


@transaction.atomic
def invoice_series_update(*, actor, instance: InvoiceSeries, data: dict, expected_version=None) -> InvoiceSeries:
    data = _check({**{name: getattr(instance, name) for name in FROZEN}, **data})
    if instance.invoices.exists():
        changed = [name for name in FROZEN if name in data and data[name] != getattr(instance, name)]
        if changed:
            raise AccountingError(_("La serie %s ya tiene facturas: no se cambia su código ni su tipo; cree otra serie.")
                                  % instance.code, field=changed[0])
    elif data.get("code") != instance.code and InvoiceSeries.objects.filter(code=data.get("code")).exists():
        raise AccountingError(_("Ya existe la serie %s.") % data["code"], field="code")
    return record_update(actor=actor, instance=instance, data=data, expected_version=expected_version)
