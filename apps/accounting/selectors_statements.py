"""Annual accounts: Balance de situación and Cuenta de pérdidas y ganancias in the PGC models.

The figures come from one aggregation per column (balances per account, GROUP BY in SQL) laid
out by the data in apps/accounting/data/layouts: each account lands in exactly one line (see
layouts/base.py), so for balanced books Activo = Patrimonio neto + Pasivo always holds.

Balance sheet at a date: every posted line up to that date except a closing entry dated that
very day (so the balance at the closing date is the one before closing). Profit and loss
accounts (groups 6 and 7) not yet regularised go to equity: those of the current fiscal year to
«Resultado del ejercicio», those of earlier years to «Resultados de ejercicios anteriores».

Profit and loss for a period: the movements of groups 6 and 7, leaving out regularisation and
closing entries (which empty those accounts into 129).
"""
import datetime
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from apps.accounting.choices import ChartKind, EntryKind
from apps.accounting.data.layouts import BALANCE_SHEETS, MODELS_BY_CHART, PROFIT_AND_LOSS, Layout
from apps.accounting.errors import AccountingError
from apps.accounting.models import AccountingSettings, EntryLine, FiscalYear

ZERO = Decimal("0.00")
MAX_DRILL_CODES = 60


def available_models(chart: str | None = None) -> tuple[str, ...]:
    """The models this brokerage's chart offers, the default first."""
    if chart is None:
        chart = AccountingSettings.objects.values_list("chart", flat=True).first() or ChartKind.PGC_PYMES
    return MODELS_BY_CHART.get(chart, MODELS_BY_CHART[ChartKind.PGC_PYMES])


def _layout(layouts: dict, model: str | None) -> Layout:
    model = model or available_models()[0]
    if model not in layouts:
        raise AccountingError(_("Modelo de cuentas anuales desconocido: %s.") % model, field="model")
    return layouts[model]


def one_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def fiscal_year_start(day: datetime.date) -> datetime.date:
    start = (FiscalYear.objects.filter(start_date__lte=day, end_date__gte=day)
             .values_list("start_date", flat=True).first())
    return start or datetime.date(day.year, 1, 1)


# --- evaluating a layout ------------------------------------------------------------------------

def _assign(layout: Layout, balances: dict[str, Decimal], extra: list[tuple[str, str, Decimal]] = ()) -> dict:
    """line code -> {account code: signed amount}. `extra`: (line, account, signed amount)."""
    contributions: dict[str, dict[str, Decimal]] = {}
    for code, balance in balances.items():
        if not balance:
            continue
        target = layout.assign(code, balance)
        if target is None:
            raise AccountingError(_("La cuenta %s no tiene sitio en el modelo %s.") % (code, layout.title))
        line_code, sign, _prefix = target
        bucket = contributions.setdefault(line_code, {})
        bucket[code] = bucket.get(code, ZERO) + sign * balance
    for line_code, code, amount in extra:
        if amount:
            bucket = contributions.setdefault(line_code, {})
            bucket[code] = bucket.get(code, ZERO) + amount
    return contributions


def line_values(layout: Layout, contributions: dict) -> dict[str, Decimal]:
    values: dict[str, Decimal] = {}

    def value(code: str) -> Decimal:
        if code not in values:
            line = layout.line(code)
            if line.total_of:
                values[code] = sum((sign * value(other) for other, sign in line.total_of), ZERO)
            elif line.accounts:
                values[code] = sum(contributions.get(code, {}).values(), ZERO)
            else:
                values[code] = sum((value(child) for child in layout.children(code)), ZERO)
        return values[code]

    for line in layout.lines():
        value(line.code)
    return values


def _drill(layout: Layout, contributions: dict, extra_prefixes: dict[str, list[str]]) -> dict[str, list[str]]:
    """line code -> the account codes (as short as exact) behind the line, for the Libro Mayor."""
    everywhere = {code for bucket in contributions.values() for code in bucket}
    drill: dict[str, list[str]] = {}

    def own(line) -> list[str]:
        formula = [item.prefix for item in line.accounts] + extra_prefixes.get(line.code, [])
        remaining = set(contributions.get(line.code, {}))
        codes = []
        for prefix in sorted(dict.fromkeys(formula), key=len):
            matching = {code for code in everywhere if code.startswith(prefix)}
            if matching and matching <= remaining:
                codes.append(prefix)
                remaining -= matching
        codes.extend(sorted(remaining))
        return codes or list(dict.fromkeys(formula))

    def of(code: str) -> list[str]:
        if code not in drill:
            line = layout.line(code)
            if line.total_of:
                parts = [c for other, _sign in line.total_of for c in of(other)]
            elif line.accounts:
                parts = own(line)
            else:
                parts = [c for child in layout.children(code) for c in of(child)]
            codes = list(dict.fromkeys(parts))
            if len(codes) > MAX_DRILL_CODES:
                codes = list(dict.fromkeys(c[:4] for c in codes))
            drill[code] = codes
        return drill[code]

    for line in layout.lines():
        of(line.code)
    return drill


def _statement(layout: Layout, current: dict, prior: dict | None, drill: dict) -> list[dict]:
    sections = []
    for section in layout.sections:
        rows = []
        for line in section.lines:
            rows.append({
                "code": line.code, "key": line.key, "label": line.label, "level": line.level,
                "is_total": line.is_total, "is_heading": bool(layout.children(line.code)),
                "amount": current[line.code], "prior": prior[line.code] if prior is not None else None,
                "accounts": drill[line.code],
            })
        sections.append({
            "key": section.key, "title": section.title, "rows": rows, "total": current[section.total],
            "prior_total": prior[section.total] if prior is not None else None,
        })
    return sections


# --- Balance de situación -----------------------------------------------------------------------

def balance_contributions(layout: Layout, per_account) -> dict:
    """line -> {account: amount} from (code, balance up to the date, balance since the start of its
    fiscal year) per account. Groups 6 and 7 go to this year's / earlier years' result."""
    balances, extra = {}, []
    result_sign = layout.line(layout.result_line).accounts[0].sign
    for code, total, current in per_account:
        if code[:1] in ("6", "7"):
            extra.append((layout.result_line, code, result_sign * current))
            extra.append((layout.prior_result_line, code, result_sign * (total - current)))
        else:
            balances[code] = total
    return _assign(layout, balances, extra)


def _balance_columns(layout: Layout, day: datetime.date) -> tuple[dict, datetime.date]:
    start = fiscal_year_start(day)
    balance = F("debit") - F("credit")
    per_account = (
        EntryLine.objects.filter(is_posted=True, date__lte=day)
        .exclude(entry__kind=EntryKind.CLOSING, entry__date=day)
        .values_list("account__code")
        .annotate(total=Sum(balance, default=ZERO), current=Sum(balance, filter=Q(date__gte=start), default=ZERO))
        .order_by())
    return balance_contributions(layout, per_account), start


def balance_sheet(*, date: datetime.date, model: str | None = None, compare: bool = True) -> dict:
    """Balance de situación at `date` in the PGC model `model` ("pymes", "abreviado",
    "normal"; by default the chart's), with the same day of the previous year beside it.

    Every line carries `accounts`: the account codes behind it, for the Libro Mayor of the
    fiscal year up to `date`.
    """
    if not isinstance(date, datetime.date):
        raise AccountingError(_("Indique la fecha del balance."), field="date")
    layout = _layout(BALANCE_SHEETS, model)
    contributions, start = _balance_columns(layout, date)
    current = line_values(layout, contributions)
    prior = prior_date = None
    if compare:
        prior_date = one_year_before(date)
        prior = line_values(layout, _balance_columns(layout, prior_date)[0])
    extra_prefixes = {layout.result_line: ["6", "7"], layout.prior_result_line: ["6", "7"]}
    sections = _statement(layout, current, prior, _drill(layout, contributions, extra_prefixes))
    assets, equity_liabilities = sections[0]["total"], sections[1]["total"]
    return {
        "model": layout.key, "title": layout.title, "date": date, "prior_date": prior_date,
        "fiscal_year_start": start, "sections": sections,
        "total_assets": assets, "total_equity_liabilities": equity_liabilities,
        "difference": assets - equity_liabilities, "balanced": assets == equity_liabilities,
    }


# --- Cuenta de pérdidas y ganancias -------------------------------------------------------------

def _pyg_contributions(layout: Layout, date_from: datetime.date, date_to: datetime.date) -> dict:
    per_account = (
        EntryLine.objects.filter(is_posted=True, date__gte=date_from, date__lte=date_to)
        .filter(Q(account__code__startswith="6") | Q(account__code__startswith="7"))
        .exclude(entry__kind__in=[EntryKind.REGULARISATION, EntryKind.CLOSING])
        .values("account__code").annotate(balance=Sum(F("debit") - F("credit"))).order_by())
    return _assign(layout, {item["account__code"]: item["balance"] or ZERO for item in per_account})


def profit_and_loss(*, date_from: datetime.date, date_to: datetime.date, model: str | None = None,
                    compare: bool = True) -> dict:
    """Cuenta de pérdidas y ganancias of the period in the PGC model `model`, with the same
    period one year earlier beside it. Income is positive, expenses negative."""
    from apps.accounting.selectors_books import check_period

    check_period(date_from, date_to)
    layout = _layout(PROFIT_AND_LOSS, model)
    contributions = _pyg_contributions(layout, date_from, date_to)
    current = line_values(layout, contributions)
    prior = prior_from = prior_to = None
    if compare:
        prior_from, prior_to = one_year_before(date_from), one_year_before(date_to)
        prior = line_values(layout, _pyg_contributions(layout, prior_from, prior_to))
    sections = _statement(layout, current, prior, _drill(layout, contributions, {}))
    return {
        "model": layout.key, "title": layout.title, "date_from": date_from, "date_to": date_to,
        "prior_from": prior_from, "prior_to": prior_to, "sections": sections,
        "result": sections[0]["total"], "prior_result": sections[0]["prior_total"],
    }
