"""Small helpers several line apps share: ages, Spanish postal codes."""
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_POSTAL_CODE = re.compile(r"^\d{5}$")


def age_at(birth_date: datetime.date, on_date: datetime.date) -> int:
    """Whole years completed on `on_date` (someone born on 29 February turns a year older on
    1 March in common years)."""
    before_birthday = (on_date.month, on_date.day) < (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - (1 if before_birthday else 0)


def as_date(value) -> datetime.date:
    """Risk data keeps dates as ISO strings; rating rules want dates."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def clean_postal_code(value: str) -> str:
    value = (value or "").strip()
    if not _POSTAL_CODE.match(value) or not 1 <= int(value[:2]) <= 52:
        raise ValidationError(_("«%(value)s» no es un código postal español: son 5 cifras y empiezan por el "
                                "código de provincia (01 a 52).") % {"value": value})
    return value


def province_code(postal_code: str) -> str:
    """The two-digit province prefix of a postal code (28 Madrid, 08 Barcelona...)."""
    return postal_code[:2]


# --- Added by the lines-a helper (autos, hogar, vida, salud) -----------------------------------

# Current plates (since 2000): 4 digits and 3 consonants, no vowels, Ñ or Q.
_PLATE_CURRENT = re.compile(r"^\d{4}[BCDFGHJKLMNPRSTVWXYZ]{3}$")
# Provincial plates (1971-2000): province letters, 4 digits, 1 or 2 letters (M1234AB, B5678Z).
_PLATE_PROVINCES = ("A AB AL AV B BA BI BU C CA CC CE CO CR CS CU GC GE GI GR GU H HU IB J L LE LO LU M MA ML "
                    "MU NA O OR OU P PM PO S SA SE SG SO SS T TE TF TO V VA VI Z ZA").split()
_PLATE_OLD = re.compile(r"^(%s)\d{4}[A-Z]{1,2}$" % "|".join(sorted(_PLATE_PROVINCES, key=len, reverse=True)))


def clean_plate(value: str) -> str:
    """A Spanish plate, upper-cased without spaces or hyphens: 1234BCD or provincial M1234AB."""
    plate = re.sub(r"[\s\-·.]", "", value or "").upper()
    if _PLATE_CURRENT.match(plate) or _PLATE_OLD.match(plate):
        return plate
    raise ValidationError(_("«%(value)s» no es una matrícula española válida: use el formato actual 1234BCD "
                            "(4 cifras y 3 consonantes, sin vocales, Ñ ni Q) o el provincial, p. ej. M1234AB.")
                          % {"value": value})


def clean_person_nif(value: str) -> str:
    """A natural person's DNI or NIE (check letter verified), compact and upper-cased; '' stays ''."""
    from stdnum.es import dni, nie

    compact = re.sub(r"[\s\-.]", "", value or "").upper()
    if not compact:
        return ""
    if dni.is_valid(compact) or nie.is_valid(compact):
        return compact
    raise ValidationError(_("«%(value)s» no es un DNI o NIE válido (compruebe la letra de control).")
                          % {"value": value})


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def check_not_future(value: datetime.date | None, message: str | None = None) -> None:
    if value is not None and value > today():
        raise ValidationError(message or (_("La fecha no puede ser posterior a hoy (%(date)s).")
                                          % {"date": today().strftime("%d/%m/%Y")}))


def add_years(value: datetime.date, years: int) -> datetime.date:
    """Same day `years` later; 29 February becomes 1 March in a common year (age_at's rule)."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return datetime.date(value.year + years, 3, 1)


def fmt_number(value, places: int = 2) -> str:
    """1234.5 -> '1.234,50' (es-ES); trailing zeros past `places` decimals are dropped."""
    from decimal import Decimal

    number = Decimal(str(value))
    text = f"{number:,.4f}".rstrip("0")
    integer, _sep, decimals = text.partition(".")
    decimals = decimals.ljust(places, "0")
    return integer.replace(",", ".") + ("," + decimals if decimals else "")


def fmt_factor(value) -> str:
    """'× 1,25' for a breakdown line."""
    return "× " + fmt_number(value)


def fmt_eur(value) -> str:
    from apps.core.money import format_eur

    return format_eur(value)


def clean_nif(value: str) -> str:
    """Any Spanish NIF (DNI, NIE or a company's CIF), compact and upper-cased; '' stays ''."""
    from stdnum.es import nif

    compact = re.sub(r"[\s\-.]", "", value or "").upper()
    if not compact:
        return ""
    if nif.is_valid(compact):
        return compact
    raise ValidationError(_("«%(value)s» no es un NIF, DNI o NIE válido (compruebe la letra o el dígito de "
                            "control).") % {"value": value})


# --- Added by the lines-b helper (decesos, accidentes, rc, empresas) ------------------------------

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def demo_dni(number: int) -> str:
    """A valid DNI for demo data: 8 digits and their check letter."""
    return f"{number:08d}{_DNI_LETTERS[number % 23]}"


def amount(value):
    """A stored amount (string, Decimal, int or empty) as Decimal; empty means 0."""
    from decimal import Decimal

    return Decimal(str(value)) if value not in (None, "") else Decimal("0")


def collapse_spaces(value: str) -> str:
    return " ".join((value or "").split())
