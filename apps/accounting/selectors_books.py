"""The official books as reads: Libro Diario, Libro Mayor and Balance de sumas y saldos.

Only posted lines count. Each function runs a fixed number of queries whatever the number of
lines, and aggregates in SQL over the partial indexes of EntryLine (account, date), (party, date)
and (date) where is_posted. The annual accounts (Balance, Pérdidas y ganancias) live in
selectors_statements and are re-exported here so callers have one place to import books from.
"""
import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Window
from django.utils.translation import gettext as _

from apps.accounting.choices import EntryState
from apps.accounting.errors import AccountingError
from apps.accounting.models import Account, Entry, EntryLine, FiscalYear
from apps.accounting.selectors_statements import balance_sheet, profit_and_loss

ZERO = Decimal("0.00")
MAX_PAGE_SIZE = 1000
LEVELS = (1, 2, 3, 4)

__all__ = [
    "account_balances", "balance_sheet", "default_period", "journal_book", "ledger", "profit_and_loss",
    "trial_balance",
]


def _money(value) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))


def check_period(date_from: datetime.date, date_to: datetime.date) -> None:
    if not isinstance(date_from, datetime.date) or not isinstance(date_to, datetime.date):
        raise AccountingError(_("Indique las fechas desde y hasta."), field="date_from")
    if date_from > date_to:
        raise AccountingError(_("La fecha «desde» no puede ser posterior a la fecha «hasta»."), field="date_to")


def _page(page, page_size) -> tuple[int, int, int]:
    try:
        page, page_size = max(int(page or 1), 1), int(page_size or 100)
    except (TypeError, ValueError):
        raise AccountingError(_("Página no válida."), field="page") from None
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    return page, page_size, (page - 1) * page_size


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """From the start of the fiscal year that contains today, to today."""
    from django.utils import timezone

    today = today or timezone.localdate()
    start = (FiscalYear.objects.filter(start_date__lte=today, end_date__gte=today)
             .values_list("start_date", flat=True).first())
    return start or datetime.date(today.year, 1, 1), today


# --- Libro Diario -------------------------------------------------------------------------------

def journal_book(*, date_from: datetime.date, date_to: datetime.date, page: int = 1, page_size: int = 100) -> dict:
    """Posted entries of the period in number order (fiscal year, number), each with its lines.

    Four queries: the fiscal years of the period, the totals, one page of entries (cut on the
    index (fiscal_year, number) when the period lies in one fiscal year) and their lines.
    """
    check_period(date_from, date_to)
    page, page_size, offset = _page(page, page_size)
    years = list(FiscalYear.objects.filter(start_date__lte=date_to, end_date__gte=date_from)
                 .order_by("start_date").values_list("id", flat=True))
    totals = EntryLine.objects.filter(is_posted=True, date__gte=date_from, date__lte=date_to).aggregate(
        debit=Sum("debit"), credit=Sum("credit"), entries=Count("id", filter=Q(line_no=1)))
    entries = Entry.objects.filter(state=EntryState.POSTED, date__gte=date_from, date__lte=date_to)
    if len(years) == 1:
        entries = entries.filter(fiscal_year_id=years[0]).order_by("number")
    else:
        entries = entries.order_by("fiscal_year__start_date", "number")
    entries = list(entries.select_related("journal", "fiscal_year")[offset:offset + page_size + 1])
    has_next = len(entries) > page_size
    entries = entries[:page_size]
    lines_by_entry: dict[int, list] = {entry.pk: [] for entry in entries}
    for line in (EntryLine.objects.filter(entry_id__in=list(lines_by_entry))
                 .select_related("account", "party").order_by("entry_id", "line_no")):
        lines_by_entry[line.entry_id].append({
            "line_no": line.line_no, "account_code": line.account.code, "account_name": line.account.name,
            "party": line.party.display_name if line.party_id else "", "party_id": line.party_id,
            "description": line.description, "debit": line.debit, "credit": line.credit,
        })
    rows, page_debit, page_credit = [], ZERO, ZERO
    for entry in entries:
        lines = lines_by_entry[entry.pk]
        debit = sum((line["debit"] for line in lines), ZERO)
        credit = sum((line["credit"] for line in lines), ZERO)
        page_debit, page_credit = page_debit + debit, page_credit + credit
        rows.append({
            "id": entry.pk, "number": entry.number, "fiscal_year": entry.fiscal_year.name,
            "reference": f"{entry.fiscal_year.name}/{entry.number}", "date": entry.date,
            "description": entry.description, "journal": entry.journal.code, "kind": entry.kind,
            "kind_label": str(entry.get_kind_display()), "lines": lines, "debit": debit, "credit": credit,
        })
    return {
        "date_from": date_from, "date_to": date_to, "page": page, "page_size": page_size,
        "has_next": has_next, "has_previous": page > 1, "rows": rows,
        "page_totals": {"debit": page_debit, "credit": page_credit},
        "totals": {"debit": _money(totals["debit"]), "credit": _money(totals["credit"]),
                   "entries": totals["entries"] or 0},
    }


# --- Libro Mayor --------------------------------------------------------------------------------

def _prefixes(account, accounts) -> list[str]:
    codes = []
    if account is not None:
        codes.append(account.code if isinstance(account, Account) else str(account).strip())
    for code in accounts or ():
        codes.append(code.code if isinstance(code, Account) else str(code).strip())
    codes = [code for code in dict.fromkeys(codes) if code]
    for code in codes:
        if not code.isdigit():
            raise AccountingError(_("«%s» no es un código de cuenta.") % code, field="account")
    return codes


def _party(party):
    from apps.crm.models import Party

    if party is None or isinstance(party, Party):
        return party
    found = None
    if str(party).isdigit():
        found = Party.objects.filter(pk=party).only("id", "display_name", "tax_id").first()
    if found is None:
        raise AccountingError(_("El tercero indicado no existe."), field="party")
    return found


def ledger(*, account=None, party=None, date_from: datetime.date, date_to: datetime.date, page: int = 1,
           page_size: int = 100, accounts=None) -> dict:
    """Libro Mayor: the posted lines of an account (a code is read as a prefix, so «430» takes
    every client subaccount), of several (`accounts`, a list of codes) or of a party across
    accounts (`party`), with the opening balance (every posted line before `date_from`) and the
    running balance of each line. Neither account nor party: every account.

    The running balance is opening + SUM(debit - credit) OVER (ORDER BY date, entry number,
    line) computed by PostgreSQL; the page is cut with LIMIT/OFFSET on that order, which the
    partial index (account, date) serves directly for a single account.
    """
    check_period(date_from, date_to)
    page, page_size, offset = _page(page, page_size)
    prefixes = _prefixes(account, accounts)
    party = _party(party)
    lines = EntryLine.objects.filter(is_posted=True)
    scope_accounts = []
    if prefixes:
        match = Q()
        for code in prefixes:
            match |= Q(code__startswith=code)
        scope_accounts = list(Account.objects.filter(match).order_by("code").values_list("id", "code", "name"))
        if not scope_accounts:
            raise AccountingError(_("No existe ninguna cuenta con el código %s.") % ", ".join(prefixes),
                                  field="account")
        ids = [row[0] for row in scope_accounts]
        lines = lines.filter(account_id=ids[0]) if len(ids) == 1 else lines.filter(account_id__in=ids)
    if party is not None:
        lines = lines.filter(party_id=party.pk)
    balance = F("debit") - F("credit")
    totals = lines.filter(date__lte=date_to).aggregate(
        opening=Sum(balance, filter=Q(date__lt=date_from)),
        debit=Sum("debit", filter=Q(date__gte=date_from)), credit=Sum("credit", filter=Q(date__gte=date_from)),
        count=Count("id", filter=Q(date__gte=date_from)))
    opening = _money(totals["opening"])
    order = [F("date").asc(), F("entry__number").asc(), F("entry_id").asc(), F("line_no").asc()]
    window = list(
        lines.filter(date__gte=date_from, date__lte=date_to)
        .annotate(running=Window(Sum(balance), order_by=order))
        .select_related("account", "party", "entry", "entry__fiscal_year")
        .order_by(*order)[offset:offset + page_size + 1])
    has_next = len(window) > page_size
    rows = []
    for line in window[:page_size]:
        rows.append({
            "date": line.date, "entry_id": line.entry_id, "entry_number": line.entry.number,
            "entry": f"{line.entry.fiscal_year.name}/{line.entry.number}", "line_no": line.line_no,
            "account_code": line.account.code, "account_name": line.account.name,
            "party": line.party.display_name if line.party_id else "", "party_id": line.party_id,
            "description": line.description or line.entry.description,
            "debit": line.debit, "credit": line.credit, "balance": opening + _money(line.running),
        })
    debit, credit = _money(totals["debit"]), _money(totals["credit"])
    single = scope_accounts[0] if len(scope_accounts) == 1 else None
    return {
        "date_from": date_from, "date_to": date_to, "page": page, "page_size": page_size,
        "has_next": has_next, "has_previous": page > 1,
        "account": {"code": single[1], "name": single[2]} if single else None,
        "accounts": prefixes, "account_count": len(scope_accounts),
        "party": {"id": party.pk, "name": party.display_name, "tax_id": party.tax_id or ""} if party else None,
        "opening": opening, "rows": rows,
        # Balance carried into this page (what the line before the first row left).
        "page_opening": rows[0]["balance"] - rows[0]["debit"] + rows[0]["credit"] if rows else opening,
        "totals": {"debit": debit, "credit": credit, "count": totals["count"] or 0},
        "closing": opening + debit - credit,
    }


def account_balances(*, accounts, date: datetime.date) -> dict[int, Decimal]:
    """{account id: SUM(debit - credit) of its posted lines up to `date`} for `accounts` (ids or
    Account rows), as the Mayor's closing and the Balance de sumas y saldos compute it; one query,
    served by the partial index (account, date). Accounts without lines read 0,00."""
    ids = [getattr(account, "pk", account) for account in accounts]
    rows = (EntryLine.objects.filter(is_posted=True, account_id__in=ids, date__lte=date).values("account_id")
            .annotate(balance=Sum(F("debit") - F("credit"))).order_by())
    found = {row["account_id"]: _money(row["balance"]) for row in rows}
    return {pk: found.get(pk, ZERO) for pk in ids}


# --- Balance de sumas y saldos ------------------------------------------------------------------

def _row(code, name, opening, debit, credit) -> dict:
    closing = opening + debit - credit
    return {
        "code": code, "name": name, "level": len(code), "opening": opening, "debit": debit, "credit": credit,
        "closing": closing, "closing_debit": closing if closing > 0 else ZERO,
        "closing_credit": -closing if closing < 0 else ZERO,
    }


def trial_balance(*, date_from: datetime.date, date_to: datetime.date, level: int | None = None,
                  with_parents: bool = False, include_zero: bool = False) -> dict:
    """Balance de sumas y saldos: per account, the opening balance (posted lines before
    `date_from`), the debits and credits of the period and the closing balance.

    `level` 1-4 rolls the accounts up to codes of that many digits (a parent is the sum of the
    accounts whose code starts with it); None lists the postable accounts and subaccounts.
    `with_parents` adds the sums of every shorter level above each row. Two queries: the
    aggregation per account (GROUP BY in SQL) and the names of the rolled-up codes.
    """
    check_period(date_from, date_to)
    if level not in (None, *LEVELS):
        raise AccountingError(_("Nivel no válido: elija 1, 2, 3, 4 dígitos o subcuentas."), field="level")
    balance = F("debit") - F("credit")
    per_account = (
        EntryLine.objects.filter(is_posted=True, date__lte=date_to)
        .values("account__code", "account__name")
        .annotate(opening=Sum(balance, filter=Q(date__lt=date_from), default=ZERO),
                  debit=Sum("debit", filter=Q(date__gte=date_from), default=ZERO),
                  credit=Sum("credit", filter=Q(date__gte=date_from), default=ZERO))
        .order_by())
    sums: dict[str, list] = {}
    names: dict[str, str] = {}
    for item in per_account:
        code = item["account__code"]
        key = code[:level] if level and len(code) > level else code
        if key == code:
            names[code] = item["account__name"]
        target = sums.setdefault(key, [ZERO, ZERO, ZERO])
        target[0] += item["opening"]
        target[1] += item["debit"]
        target[2] += item["credit"]
    if not include_zero:
        sums = {code: values for code, values in sums.items() if any(values)}
    parent_sums: dict[str, list] = {}
    if with_parents:
        for code, values in sums.items():
            for length in range(1, len(code)):
                if code[:length] not in sums:
                    target = parent_sums.setdefault(code[:length], [ZERO, ZERO, ZERO])
                    for index in range(3):
                        target[index] += values[index]
    missing = {code for code in sums if code not in names} | set(parent_sums)
    if missing:
        names.update(Account.objects.filter(code__in=missing).values_list("code", "name"))
    rows = [_row(code, names.get(code, ""), *(_money(v) for v in values)) for code, values in sums.items()]
    totals = _row("", _("Total"), *(sum((row[k] for row in rows), ZERO) for k in ("opening", "debit", "credit")))
    totals.update({key: sum((row[key] for row in rows), ZERO) for key in ("closing_debit", "closing_credit")})
    for code, values in parent_sums.items():
        rows.append({**_row(code, names.get(code, ""), *(_money(v) for v in values)), "is_parent": True})
    rows.sort(key=lambda row: row["code"])
    return {"date_from": date_from, "date_to": date_to, "level": level, "rows": rows, "totals": totals,
            "balanced": totals["debit"] == totals["credit"] and totals["opening"] == ZERO}
