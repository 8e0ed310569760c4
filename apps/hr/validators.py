"""Identity numbers of an employee, each cleaned to its stored form or refused with HRError naming the field:
NIF/NIE (a person's: DNI, NIE or a K/L/M NIF; python-stdnum checks the control letter), the Social Security
affiliation number (NAF) and the payroll IBAN. `iban_masked` is the IBAN as non-HR readers see it."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.es import dni, nie, nif
from stdnum.exceptions import ValidationError as StdnumError

from apps.core.validators import validate_iban
from apps.hr.errors import HRError


def tax_id_clean(value: str, *, field: str = "tax_id") -> str:
    """The NIF/NIE compact and upper-case: a DNI (8 digits + letter), a NIE (X/Y/Z) or a K/L/M NIF."""
    compact = nif.compact(value or "")
    if not compact:
        raise HRError(_("Indique el NIF o NIE del empleado."), code="hr_tax_id", field=field)
    checker = nie if compact[0] in "XYZ" else nif if compact[0] in "KLM" else dni if compact[0].isdigit() else None
    if checker is None:
        raise HRError(_("«%s» es el NIF de una entidad, no de una persona: indique el DNI o NIE del empleado.")
                      % value, code="hr_tax_id", field=field)
    try:
        return checker.validate(compact)
    except StdnumError:
        raise HRError(_("«%s» no es un NIF o NIE válido: revise los dígitos y la letra de control.") % value,
                      code="hr_tax_id", field=field) from None


def ss_number_check_digits(province: int, number: int) -> int:
    """Control digits of a NAF: (province and number as one figure) mod 97; a number below 10.000.000 is
    added to province × 10.000.000 instead of being written after it (Seguridad Social rule)."""
    base = number + province * 10**7 if number < 10**7 else province * 10**8 + number
    return base % 97


def ss_number_clean(value: str, *, field: str = "ss_number") -> str:
    """The 12-digit NAF (2 province digits, 8 digits, 2 control digits); spaces, slashes and dashes dropped."""
    compact = "".join(ch for ch in (value or "") if ch not in " /-.")
    if not compact:
        raise HRError(_("Indique el número de afiliación a la Seguridad Social."), code="hr_ss_number", field=field)
    if len(compact) != 12 or not compact.isdigit():
        raise HRError(_("«%s» no es un número de la Seguridad Social válido: debe tener 12 dígitos.") % value,
                      code="hr_ss_number", field=field)
    province, number, control = int(compact[:2]), int(compact[2:10]), int(compact[10:])
    if province == 0 or ss_number_check_digits(province, number) != control:
        raise HRError(_("«%s» no es un número de la Seguridad Social válido: los dígitos de control no "
                        "corresponden.") % value, code="hr_ss_number", field=field)
    return compact


def iban_clean(value: str, *, field: str = "iban") -> str:
    """The IBAN compact and upper-case ("" stays "": the payroll IBAN may come later)."""
    compact = (value or "").replace(" ", "").upper()
    if not compact:
        return ""
    try:
        validate_iban(compact)
    except ValidationError as exc:
        raise HRError(exc.messages[0], code="hr_iban", field=field) from None
    return compact


def iban_masked(value: str) -> str:
    """ES91 2100 … 1332 as «ES** **** **** **** **** 1332»: country and last four digits only."""
    compact = (value or "").replace(" ", "")
    if len(compact) < 8:
        return "—" if not compact else "*" * len(compact)
    hidden = compact[:2] + "*" * (len(compact) - 6) + compact[-4:]
    return " ".join(hidden[i:i + 4] for i in range(0, len(hidden), 4))
