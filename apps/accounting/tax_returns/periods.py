"""Tax periods: a year plus «1T»…«4T» (quarters), «01»…«12» (months) or «0A» (the whole year),
the codes the AEAT forms use for the «Periodo» of a return."""
import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounting.errors import AccountingError

MONTHS = [gettext_lazy("Enero"), gettext_lazy("Febrero"), gettext_lazy("Marzo"), gettext_lazy("Abril"),
          gettext_lazy("Mayo"), gettext_lazy("Junio"), gettext_lazy("Julio"), gettext_lazy("Agosto"),
          gettext_lazy("Septiembre"), gettext_lazy("Octubre"), gettext_lazy("Noviembre"), gettext_lazy("Diciembre")]
QUARTERS = [("1T", gettext_lazy("1.er trimestre")), ("2T", gettext_lazy("2.º trimestre")),
            ("3T", gettext_lazy("3.er trimestre")), ("4T", gettext_lazy("4.º trimestre"))]
PERIOD_CHOICES = [*QUARTERS, *[(f"{n:02d}", MONTHS[n - 1]) for n in range(1, 13)], ("0A", gettext_lazy("Año completo"))]
PERIOD_CODES = {code for code, _label in PERIOD_CHOICES}
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class TaxPeriod:
    year: int
    code: str
    date_from: datetime.date
    date_to: datetime.date

    @property
    def label(self) -> str:
        name = dict(PERIOD_CHOICES)[self.code]
        return f"{name} {self.year}"

    @property
    def is_annual(self) -> bool:
        return self.code == "0A"

    @property
    def is_last_of_year(self) -> bool:
        """4T, 12 and the year: where the 303 carries the annual «Información adicional»."""
        return self.code in ("4T", "12", "0A")


def tax_period(year, code: str = "0A") -> TaxPeriod:
    """The dates of a tax period, or a clear refusal."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise AccountingError(_("Indique un ejercicio válido (p. ej. 2026)."), field="year") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise AccountingError(_("Indique un ejercicio válido (p. ej. 2026)."), field="year")
    code = (code or "0A").strip().upper()
    if code not in PERIOD_CODES:
        raise AccountingError(_("Periodo desconocido: «%s». Use 1T a 4T, 01 a 12 o 0A.") % code, field="period")
    if code == "0A":
        first, last = 1, 12
    elif code.endswith("T"):
        quarter = int(code[0])
        first, last = quarter * 3 - 2, quarter * 3
    else:
        first = last = int(code)
    return TaxPeriod(year=year, code=code, date_from=datetime.date(year, first, 1),
                     date_to=datetime.date(year, last, calendar.monthrange(year, last)[1]))


def default_quarter(today: datetime.date | None = None) -> tuple[int, str]:
    """The quarter being declared now: the previous one during the first 20 days of a quarter
    (the filing window), else the current one."""
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    if today.month in (1, 4, 7, 10) and today.day <= 20:
        if quarter == 1:
            return today.year - 1, "4T"
        return today.year, f"{quarter - 1}T"
    return today.year, f"{quarter}T"


def default_year(today: datetime.date | None = None) -> int:
    """The year of the annual returns (347, 390): the previous one until the end of February."""
    today = today or timezone.localdate()
    return today.year - 1 if today.month <= 2 else today.year


def quarter_of(date: datetime.date) -> int:
    return (date.month - 1) // 3 + 1
