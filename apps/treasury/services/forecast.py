"""Cash position today and the treasury forecast (issue 7 item 8).

Position: per active bank account, the ledger balance of its 572x account (posted lines up to
today, `apps.accounting.selectors_books.account_balances`) beside the closing balance of its last
Norma 43 statement and the difference (what the bank shows that the books do not, or the reverse).

Forecast: from today over `horizon` days (1..365, default 90) the money expected in and out, by
day and by week, with the running balance starting from today's position (of every account, or of
the one chosen). Flows come from SOURCES, a list of callables other apps append to:

    def source(start: date, end: date) -> list[Flow]

A source returns its money aggregated by day (one SQL GROUP BY, whatever the volume): positive
amounts come in, negative go out; what fell due before `start` lands on `start` flagged overdue
(`flows_by_day` does both). To let users open the records behind a figure, register a detail
reader for the source key: `details(date_from | None, date_to) -> list[Record]` (date_from None =
everything due up to date_to, overdue included). Payroll (HR) registers itself the same way:

    from apps.treasury.services.forecast import register_source
    register_source(payroll_flows, details={"payroll": payroll_records})

Built-in sources (apps.treasury.selectors_forecast): broker-collected open receipts, closed
settlements with insurers (owed and receivable), validated unpaid received invoices and generated
transfer orders not yet charged. Claim payments are paid when recorded: no source.
"""
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounting.selectors_books import account_balances
from apps.treasury.errors import TreasuryError
from apps.treasury.models import BankAccount, Statement

ZERO = Decimal("0.00")
DEFAULT_HORIZON, MAX_HORIZON = 90, 365


@dataclass(frozen=True)
class Flow:
    """Money of one source on one day: `amount` > 0 comes in, < 0 goes out; `count` records."""
    date: datetime.date
    amount: Decimal
    source: str
    label: str
    count: int = 1
    overdue: bool = False


@dataclass(frozen=True)
class Record:
    """One record behind a flow (a receipt, a settlement...) for the drill-down list."""
    date: datetime.date
    reference: str
    party: str
    amount: Decimal
    url: str = ""
    overdue: bool = False


Source = Callable[[datetime.date, datetime.date], list[Flow]]
Details = Callable[[datetime.date | None, datetime.date], list[Record]]
SOURCES: list[Source] = []
DETAILS: dict[str, Details] = {}
LABELS: dict[str, str] = {}


def register_source(source: Source, *, details: dict[str, Details] | None = None,
                    labels: dict[str, str] | None = None) -> Source:
    """Adds `source` to the forecast (once) and the drill-down readers of the keys it returns."""
    if source not in SOURCES:
        SOURCES.append(source)
    DETAILS.update(details or {})
    LABELS.update(labels or {})
    return source


def flows_by_day(rows: Iterable[tuple], *, start: datetime.date, source: str, label: str,
                 sign: int = 1) -> list[Flow]:
    """Flows of `source` from (day, amount, count) rows: days before `start` merge into one overdue
    flow on `start`; `sign` -1 turns amounts owed into outflows."""
    overdue, overdue_count, flows = ZERO, 0, []
    for day, amount, count in rows:
        if not amount or not count:
            continue
        if day < start:
            overdue, overdue_count = overdue + amount, overdue_count + count
        else:
            flows.append(Flow(day, sign * amount, source, label, count))
    if overdue_count:
        flows.append(Flow(start, sign * overdue, source, label, overdue_count, overdue=True))
    return sorted(flows, key=lambda flow: (flow.date, not flow.overdue))


# --- Position ------------------------------------------------------------------------------------

@dataclass
class AccountPosition:
    bank_account: BankAccount
    balance: Decimal
    statement_date: datetime.date | None = None
    statement_balance: Decimal | None = None

    @property
    def difference(self) -> Decimal | None:
        return None if self.statement_balance is None else self.balance - self.statement_balance


@dataclass
class Position:
    date: datetime.date
    accounts: list[AccountPosition]

    @property
    def total(self) -> Decimal:
        return sum((row.balance for row in self.accounts), ZERO)

    @property
    def statement_total(self) -> Decimal | None:
        rows = [row.statement_balance for row in self.accounts if row.statement_balance is not None]
        return sum(rows, ZERO) if rows else None

    @property
    def difference_total(self) -> Decimal | None:
        rows = [row.difference for row in self.accounts if row.difference is not None]
        return sum(rows, ZERO) if rows else None


def cash_position(*, bank_account: BankAccount | None = None, today: datetime.date | None = None) -> Position:
    """Today's balance of every active bank account (or of `bank_account`): three queries."""
    today = today or timezone.localdate()
    accounts = BankAccount.objects.filter(is_active=True).select_related("account").order_by("name", "pk")
    if bank_account is not None:
        accounts = accounts.filter(pk=bank_account.pk)
    accounts = list(accounts)
    balances = account_balances(accounts=[a.account_id for a in accounts], date=today)
    statements = {s.bank_account_id: s for s in Statement.objects.filter(
        bank_account__in=accounts, end_date__lte=today).order_by("bank_account_id", "-end_date", "-pk")
        .distinct("bank_account_id").only("bank_account_id", "end_date", "closing_balance")}
    rows = []
    for account in accounts:
        statement = statements.get(account.pk)
        rows.append(AccountPosition(account, balances[account.account_id],
                                    statement.end_date if statement else None,
                                    statement.closing_balance if statement else None))
    return Position(today, rows)


# --- Forecast ------------------------------------------------------------------------------------

@dataclass
class Period:
    """A day or a week of the forecast: money in and out, the balance at its end, its flows."""
    start: datetime.date
    end: datetime.date
    inflow: Decimal = ZERO
    outflow: Decimal = ZERO
    balance: Decimal = ZERO
    flows: list[Flow] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.inflow - self.outflow

    @property
    def negative(self) -> bool:
        return self.balance < 0

    @property
    def overdue(self) -> bool:
        return any(flow.overdue for flow in self.flows)

    def add(self, flow: Flow) -> None:
        self.flows.append(flow)
        if flow.amount >= 0:
            self.inflow += flow.amount
        else:
            self.outflow -= flow.amount

    def by_source(self, inflow: bool) -> list[tuple[str, str, Decimal, int]]:
        """(source key, label, amount, count) of its inflows or outflows, summed per source."""
        sums: dict[str, list] = {}
        for flow in self.flows:
            if (flow.amount >= 0) == inflow:
                row = sums.setdefault(flow.source, [flow.label, ZERO, 0])
                row[1] += abs(flow.amount)
                row[2] += flow.count
        return [(key, label, amount, count) for key, (label, amount, count) in sums.items()]


@dataclass
class Forecast:
    start: datetime.date
    end: datetime.date
    horizon: int
    position: Position
    opening: Decimal
    days: list[Period]
    weeks: list[Period]

    @property
    def inflow(self) -> Decimal:
        return sum((day.inflow for day in self.days), ZERO)

    @property
    def outflow(self) -> Decimal:
        return sum((day.outflow for day in self.days), ZERO)

    @property
    def net(self) -> Decimal:
        return self.inflow - self.outflow

    @property
    def closing(self) -> Decimal:
        return self.days[-1].balance if self.days else self.opening

    @property
    def negative_days(self) -> list[Period]:
        return [day for day in self.days if day.negative]


def check_horizon(horizon) -> int:
    try:
        value = int(DEFAULT_HORIZON if horizon in (None, "") else horizon)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= MAX_HORIZON:
        raise TreasuryError(_("El horizonte de la previsión debe estar entre 1 y %d días.") % MAX_HORIZON,
                            code="treasury_forecast_horizon", field="horizon", status=400)
    return value


def cash_forecast(*, horizon=DEFAULT_HORIZON, bank_account: BankAccount | None = None,
                  today: datetime.date | None = None) -> Forecast:
    """The position today and the daily and weekly (7 days from today) flows over `horizon` days
    (today included) with the running balance. Refuses a horizon outside 1..365 (400)."""
    horizon = check_horizon(horizon)
    position = cash_position(bank_account=bank_account, today=today)
    start = position.date
    end = start + datetime.timedelta(days=horizon - 1)
    days = [Period(start + datetime.timedelta(days=n), start + datetime.timedelta(days=n)) for n in range(horizon)]
    for source in SOURCES:
        for flow in source(start, end):
            if start <= flow.date <= end and flow.amount:
                days[(flow.date - start).days].add(flow)
    balance, weeks = position.total, []
    for index, day in enumerate(days):
        balance += day.net
        day.balance = balance
        if index % 7 == 0:
            weeks.append(Period(day.start, min(day.start + datetime.timedelta(days=6), end)))
        for flow in day.flows:
            weeks[-1].add(flow)
        weeks[-1].balance = balance
    return Forecast(start, end, horizon, position, position.total, days, weeks)


def forecast_records(*, source: str, date_from: datetime.date | None, date_to: datetime.date) -> list[Record]:
    """The records of `source` behind a figure (date_from None: overdue ones included)."""
    reader = DETAILS.get(source)
    if reader is None:
        raise TreasuryError(_("Origen de la previsión desconocido."), code="treasury_forecast_source",
                            field="source", status=400)
    return reader(date_from, date_to)


from apps.treasury import selectors_forecast  # noqa: E402,F401  (registers the built-in sources)
