"""SEPA identifiers: the creditor identifier (AT-02) and the mandate reference (AT-01).

Creditor identifier, Spain: "ES" + 2 check digits + 3-character business code (suffix) + NIF.
The check digits are ISO 7064 mod 97-10 over NIF + "ES00" (letters A=10 ... Z=35); the suffix is
left out of the computation, so one NIF gives the same check digits whatever its suffix.
"""
import re

from django.utils.translation import gettext as _
from stdnum.es import nif as es_nif

from apps.treasury.errors import TreasuryError

COUNTRY = "ES"
SUFFIX_RE = re.compile(r"^[A-Z0-9]{3}$")
CREDITOR_RE = re.compile(r"^ES(\d{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$")
# EPC: the mandate reference uses the SEPA character set, up to 35 characters.
MANDATE_REFERENCE_RE = re.compile(r"^[A-Za-z0-9+?/:().,' -]{1,35}$")


def _digits(text: str) -> str:
    return "".join(str(int(ch, 36)) for ch in text)


def creditor_check_digits(nif: str, country: str = COUNTRY) -> str:
    """98 - (NIF + country + "00" as digits mod 97), two digits."""
    return f"{98 - int(_digits(nif + country + '00')) % 97:02d}"


def creditor_id_build(nif: str, suffix: str = "000") -> str:
    """ESxx + suffix + NIF for the brokerage's NIF (refused when the NIF or suffix is not valid)."""
    nif = es_nif.compact(nif or "").upper()
    suffix = (suffix or "000").strip().upper()
    if not es_nif.is_valid(nif):
        raise TreasuryError(_("«%s» no es un NIF válido para el identificador de acreedor.") % nif,
                            code="treasury_creditor_nif", field="creditor_id")
    if not SUFFIX_RE.match(suffix):
        raise TreasuryError(_("El sufijo del identificador de acreedor son 3 letras o dígitos."),
                            code="treasury_creditor_suffix", field="creditor_id")
    return f"{COUNTRY}{creditor_check_digits(nif)}{suffix}{nif}"


def creditor_id_check(value: str) -> str:
    """The normalized identifier, or TreasuryError (field creditor_id) when format or check digits fail."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    match = CREDITOR_RE.match(compact)
    if not match:
        raise TreasuryError(
            _("«%s» no tiene el formato de un identificador de acreedor SEPA (ES + 2 dígitos + sufijo de "
              "3 caracteres + NIF).") % value, code="treasury_creditor_id", field="creditor_id")
    check, _suffix, nif = match.groups()
    if creditor_check_digits(nif) != check:
        raise TreasuryError(
            _("Los dígitos de control del identificador de acreedor «%s» no son correctos.") % value,
            code="treasury_creditor_id", field="creditor_id")
    return compact


def mandate_reference_check(value: str) -> str:
    reference = (value or "").strip()
    if not MANDATE_REFERENCE_RE.match(reference):
        raise TreasuryError(
            _("La referencia del mandato debe tener de 1 a 35 caracteres: letras sin acentos, dígitos, "
              "espacios y + ? / - : ( ) . , '"), code="treasury_mandate_reference", field="reference")
    return reference
