"""Commission agreements: dated versions per insurer (general) or per product. A new agreement
never overwrites an earlier one; it applies from its valid_from on (see
apps.insurance.selectors_catalog.agreement_in_force)."""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.services.records import record_create
from apps.insurance.models import CommissionAgreement

AGREEMENT_FIELDS = ("insurer", "product", "valid_from", "new_business_pct", "renewal_pct", "earned_on",
                    "clawback_rule", "clawback_months", "upfront", "notes")


def _pct(data: dict, name: str, label: str, errors: dict):
    value = data.get(name)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors[name] = [_("Indique el %(label)s (de 0 a 100).") % {"label": label}]
        return
    if not Decimal("0") <= number <= Decimal("100"):
        errors[name] = [_("El %(label)s debe estar entre 0 y 100 (ha indicado %(value)s).")
                        % {"label": label, "value": value}]
    data[name] = number


def agreement_validate(data: dict, *, lock: bool = False) -> dict:
    """The agreement's data checked (percentages 0-100 as Decimal, product of the insurer, no
    other agreement of the same scope starting that day) or a ValidationError keyed by field."""
    unknown = sorted(set(data) - set(AGREEMENT_FIELDS))
    if unknown:
        raise ValidationError({name: _("Campo desconocido para el acuerdo.") for name in unknown})
    data = dict(data)
    errors = {}
    insurer, product, valid_from = data.get("insurer"), data.get("product"), data.get("valid_from")
    if insurer is None:
        errors["insurer"] = [_("Indique la compañía.")]
    if valid_from is None:
        errors["valid_from"] = [_("Indique la fecha desde la que aplica el acuerdo.")]
    if product is not None and insurer is not None and product.insurer_id != insurer.pk:
        errors["product"] = [_("El producto %(product)s no es de %(insurer)s.") % {"product": product.name,
                                                                                    "insurer": insurer}]
    _pct(data, "new_business_pct", _("porcentaje de nueva producción"), errors)
    _pct(data, "renewal_pct", _("porcentaje de cartera"), errors)
    if not errors:
        clash = CommissionAgreement.objects.filter(insurer=insurer, valid_from=valid_from)
        if lock:
            clash = clash.select_for_update()
        clash = clash.filter(product=product) if product is not None else clash.filter(product__isnull=True)
        if clash.exists():
            scope = _("el producto %s") % product.name if product is not None else _("todos sus productos")
            errors["valid_from"] = [_(
                "Ya hay un acuerdo de %(insurer)s para %(scope)s en vigor desde el %(date)s: un acuerdo nuevo "
                "debe empezar otro día (los anteriores se conservan para los recibos ya emitidos)."
            ) % {"insurer": insurer, "scope": scope, "date": valid_from.strftime("%d/%m/%Y")}]
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def agreement_create(*, actor, data: dict) -> CommissionAgreement:
    """A new dated agreement for an insurer (product empty: all its products without their own
    agreement) or for one of its products. Refused when one already starts that same day."""
    return record_create(actor=actor, model=CommissionAgreement, data=agreement_validate(data, lock=True))
