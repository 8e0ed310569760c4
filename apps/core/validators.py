from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.es import nif as es_nif


def normalize_tax_id(value: str) -> str:
    return es_nif.compact(value or "")


def validate_spanish_tax_id(value: str) -> None:
    """NIF, NIE or CIF (python-stdnum checks the control character)."""
    if not es_nif.is_valid(value or ""):
        raise ValidationError(
            _("«%(value)s» no es un NIF, NIE o CIF válido: revise los dígitos y la letra de control."),
            code="invalid_tax_id",
            params={"value": value},
        )


def validate_iban(value: str) -> None:
    try:
        IBAN(value)
    except SchwiftyException as exc:
        raise ValidationError(
            _("«%(value)s» no es un IBAN válido (%(reason)s)."), code="invalid_iban", params={"value": value, "reason": exc}
        ) from exc
