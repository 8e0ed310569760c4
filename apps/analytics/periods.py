"""The period of a dashboard (this month / quarter / year / custom) and the one it is compared with:
the month, quarter or year before; a custom range compares with the same number of days just before."""
import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.analytics.choices import PeriodKind
from apps.analytics.errors import AnalyticsError

MAX_DAYS = 3 * 366
MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]


@dataclass(frozen=True)
class Period:
    kind: str
    date_from: datetime.date
    date_to: datetime.date

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> "Period":
        if self.kind == PeriodKind.MONTH:
            last = self.date_from - datetime.timedelta(days=1)
            return Period(self.kind, last.replace(day=1), last)
        if self.kind == PeriodKind.QUARTER:
            last = self.date_from - datetime.timedelta(days=1)
            return Period(self.kind, _add_months(self.date_from, -3), last)
        if self.kind == PeriodKind.YEAR:
            return Period(self.kind, self.date_from.replace(year=self.date_from.year - 1),
                          self.date_to.replace(year=self.date_to.year - 1))
        last = self.date_from - datetime.timedelta(days=1)
        return Period(self.kind, last - datetime.timedelta(days=self.days - 1), last)

    def months(self) -> list[datetime.date]:
        """First day of every month the period touches, in order."""
        first, out = self.date_from.replace(day=1), []
        while first <= self.date_to:
            out.append(first)
            first = _add_months(first, 1)
        return out

    def query(self) -> dict:
        """The query-string of this period (for links, exports and drill-downs)."""
        if self.kind == PeriodKind.CUSTOM:
            return {"periodo": self.kind, "desde": self.date_from.isoformat(), "hasta": self.date_to.isoformat()}
        return {"periodo": self.kind, "fecha": self.date_to.isoformat()}

    @property
    def label(self) -> str:
        return f"{self.date_from:%d/%m/%Y} – {self.date_to:%d/%m/%Y}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_months(day: datetime.date, months: int) -> datetime.date:
    return _add_months(day, months)


def month_label(first: datetime.date) -> str:
    return f"{MONTHS[first.month - 1]} {first.year}"


def period_for(kind: str = PeriodKind.YEAR, *, today: datetime.date | None = None,
               date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> Period:
    """The period of `kind` that contains `today` (or the custom range); AnalyticsError when invalid."""
    today = today or timezone.localdate()
    if kind == PeriodKind.MONTH:
        return Period(kind, today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1]))
    if kind == PeriodKind.QUARTER:
        first = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(kind, first, _add_months(first, 3) - datetime.timedelta(days=1))
    if kind == PeriodKind.YEAR:
        return Period(kind, datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31))
    if kind == PeriodKind.CUSTOM:
        if not date_from or not date_to:
            raise AnalyticsError(_("Indique las fechas desde y hasta."), code="analytics_period", field="desde")
        if date_to < date_from:
            raise AnalyticsError(_("La fecha hasta no puede ser anterior a la fecha desde."), code="analytics_period",
                                 field="hasta")
        if (date_to - date_from).days >= MAX_DAYS:
            raise AnalyticsError(_("El periodo no puede superar tres años."), code="analytics_period", field="hasta")
        return Period(kind, date_from, date_to)
    raise AnalyticsError(_("Periodo desconocido: «%s».") % kind, code="analytics_period", field="periodo")


def _date(value: str | None, field: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise AnalyticsError(_("Fecha no válida: «%s» (use AAAA-MM-DD).") % value, code="analytics_period",
                             field=field) from None


def period_from_query(params) -> Period:
    """periodo=month|quarter|year (fecha= any day inside, default today) or custom with desde/hasta."""
    kind = params.get("periodo") or params.get("period") or PeriodKind.YEAR
    today = _date(params.get("fecha"), "fecha")
    return period_for(kind, today=today, date_from=_date(params.get("desde"), "desde"),
                      date_to=_date(params.get("hasta"), "hasta"))


def change_pct(value, previous):
    """Change in % with one decimal, None when the previous value is zero."""
    from decimal import ROUND_HALF_UP, Decimal

    if not previous:
        return None
    return ((Decimal(value) - Decimal(previous)) * 100 / abs(Decimal(previous))).quantize(Decimal("0.1"), ROUND_HALF_UP)
