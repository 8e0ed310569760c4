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
