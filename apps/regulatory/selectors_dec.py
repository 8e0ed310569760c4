"""The DEC (documentación estadístico-contable) of a year, built from the portfolio and the books,
with the DGSFP classification of lines (services.mapping).

- Premiums intermediated: the receipts whose period starts in the year and are not cancelled
  (extornos subtract), by DGSFP ramo and insurer: count, net premium (the DEC figure: without IPS
  and Consorcio/CLEA surcharges) and total premium.
- Commissions: the balance of the commission income account(s) (role «commission_income», 705 and
  its subaccounts) for the year, without regularisation/closing/opening entries, by ramo and insurer
  from the posting's analytic tags (line of business, insurer); an amount posted without its ramo (the
  commission invoice of an insurer settlement) is split by the settlement's commission rows.
- Receipts collected: the receipt movements of the year (collections less returns and refunds paid),
  by the broker and by the insurer; receipts counted once when collected in the year.
- Clients' funds held at year end, per insurer: what the broker collected less the commission its
  settlements took and what it paid the insurer, to 31/12; the books hold the same money as the
  credit balance of the insurers' current accounts (role «insurers», the insurers' subaccounts).
The checks compare each figure with its other source and show the difference."""
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from apps.regulatory.choices import DecRamo
from apps.regulatory.services.mapping import ramo_by_line

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
NO_RAMO = ""
NOT_ACCOUNTED = ("regularisation", "closing", "opening")
SETTLEMENT_SOURCE = "collections.settlement:"
INVOICE_SOURCE = "accounting.invoice:"


def money(value) -> Decimal:
    return (value or ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def ramo_label(code: str) -> str:
    return str(DecRamo(code).label) if code in DecRamo.values else _("Sin ramo asignado")


@dataclass
class DecRow:
    ramo: str
    insurer: str
    insurer_code: str = ""
    count: int = 0
    net: Decimal = ZERO
    total: Decimal = ZERO
    amount: Decimal = ZERO

    @property
    def ramo_label(self) -> str:
        return ramo_label(self.ramo)


@dataclass
class DecCheck:
    key: str
    label: str
    dec: Decimal
    books: Decimal
    source: str
    informative: bool = False

    @property
    def difference(self) -> Decimal:
        return self.dec - self.books

    @property
    def ok(self) -> bool:
        return self.difference == ZERO


@dataclass
class DecReturn:
    year: int
    premiums: list[DecRow] = field(default_factory=list)
    commissions: list[DecRow] = field(default_factory=list)
    collected: list[DecRow] = field(default_factory=list)
    funds: list[DecRow] = field(default_factory=list)
    checks: list[DecCheck] = field(default_factory=list)
    collected_count: int = 0
    collected_broker: Decimal = ZERO
    collected_insurer: Decimal = ZERO

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def premiums_net(self) -> Decimal:
        return sum((row.net for row in self.premiums), ZERO)

    @property
    def premiums_total(self) -> Decimal:
        return sum((row.total for row in self.premiums), ZERO)

    @property
    def premiums_count(self) -> int:
        return sum(row.count for row in self.premiums)

    @property
    def commissions_total(self) -> Decimal:
        return sum((row.amount for row in self.commissions), ZERO)

    @property
    def collected_amount(self) -> Decimal:
        return self.collected_broker + self.collected_insurer

    @property
    def funds_total(self) -> Decimal:
        return sum((row.amount for row in self.funds), ZERO)

    @property
    def checks_ok(self) -> bool:
        return all(check.ok for check in self.checks if not check.informative)

    def by_ramo(self, rows_name: str) -> list[DecRow]:
        """Rows of a section summed per ramo, in the classification's order."""
        order = {code: n for n, code in enumerate(DecRamo.values)}
        sums: dict[str, DecRow] = {}
        for row in getattr(self, rows_name):
            target = sums.setdefault(row.ramo, DecRow(ramo=row.ramo, insurer=""))
            target.count += row.count
            target.net += row.net
            target.total += row.total
            target.amount += row.amount
        return sorted(sums.values(), key=lambda row: order.get(row.ramo, len(order)))


def _sorted(rows) -> list[DecRow]:
    order = {code: n for n, code in enumerate(DecRamo.values)}
    return sorted(rows, key=lambda row: (order.get(row.ramo, len(order)), row.insurer))


# --- premiums -----------------------------------------------------------------------------------------

def _premiums(dec: DecReturn, ramos: dict) -> None:
    from apps.collections.choices import ReceiptState
    from apps.collections.models import Receipt

    rows = (Receipt.objects.filter(period_start__range=(dec.start, dec.end)).exclude(state=ReceiptState.CANCELLED)
            .values("line__code", "insurer__name", "insurer__dgsfp_code")
            .annotate(count=Count("pk"), net=Sum("net_premium"), total=Sum("total_premium")).order_by())
    merged: dict[tuple, DecRow] = {}
    for row in rows:
        ramo = ramos.get(row["line__code"], NO_RAMO)
        target = merged.setdefault((ramo, row["insurer__name"]), DecRow(
            ramo=ramo, insurer=row["insurer__name"], insurer_code=row["insurer__dgsfp_code"] or ""))
        target.count += row["count"]
        target.net += money(row["net"])
        target.total += money(row["total"])
    dec.premiums = _sorted(merged.values())


# --- commissions (books) -----------------------------------------------------------------------------

def commission_accounts():
    from apps.accounting.models import Account
    from apps.accounting.services import mapped_account

    return Account.objects.filter(code__startswith=mapped_account("commission_income").code)


def _commission_lines(dec: DecReturn):
    from apps.accounting.models import EntryLine

    return (EntryLine.objects.filter(is_posted=True, date__range=(dec.start, dec.end),
                                     account__in=commission_accounts())
            .exclude(entry__kind__in=NOT_ACCOUNTED))


def books_commissions(year: int) -> Decimal:
    """Credit less debit of the commission income accounts in the year (before regularisation)."""
    total = _commission_lines(DecReturn(year=year)).aggregate(value=Sum(F("credit") - F("debit")))["value"]
    return money(total)


def _split(amount: Decimal, weights: dict[str, Decimal]) -> dict[str, Decimal]:
    """`amount` across `weights` in proportion (exact when they add up to it); the cents left go to
    the largest share; with no weights, all to NO_RAMO."""
    base = sum(weights.values(), ZERO)
    if not weights or not base:
        return {NO_RAMO: amount}
    if base == amount:
        return dict(weights)
    parts = {key: money(amount * value / base) for key, value in weights.items()}
    largest = max(parts, key=lambda key: abs(parts[key]))
    parts[largest] += amount - sum(parts.values(), ZERO)
    return parts


def _settlement_weights(sources: set[str], ramos: dict) -> dict[str, tuple]:
    """{entry source: (insurer, {ramo: commission})} for the settlements' entries and invoices."""
    from apps.collections.models import CommissionMovement, Settlement

    invoice_ids = {int(s[len(INVOICE_SOURCE):]) for s in sources if s.startswith(INVOICE_SOURCE)
                   and s[len(INVOICE_SOURCE):].isdigit()}
    settlement_ids = {int(s[len(SETTLEMENT_SOURCE):]) for s in sources if s.startswith(SETTLEMENT_SOURCE)
                      and s[len(SETTLEMENT_SOURCE):].isdigit()}
    settlements = list(Settlement.objects.filter(Q(invoice_id__in=invoice_ids) | Q(pk__in=settlement_ids))
                       .select_related("insurer"))
    if not settlements:
        return {}
    weights = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in (CommissionMovement.objects.filter(settlement__in=settlements, collaborator__isnull=True)
                .values("settlement_id", "policy__line__code").annotate(amount=Sum("amount")).order_by()):
        weights[row["settlement_id"]][ramos.get(row["policy__line__code"], NO_RAMO)] += money(row["amount"])
    found = {}
    for settlement in settlements:
        value = (settlement.insurer, dict(weights[settlement.pk]))
        found[f"{SETTLEMENT_SOURCE}{settlement.pk}"] = value
        if settlement.invoice_id:
            found[f"{INVOICE_SOURCE}{settlement.invoice_id}"] = value
    return found


def _commissions(dec: DecReturn, ramos: dict) -> None:
    from apps.crm.models import Party
    from apps.insurance.models import Insurer

    groups = list(_commission_lines(dec).values("line_of_business", "insurer_id", "party_id", "entry__source")
                  .annotate(amount=Sum(F("credit") - F("debit"))).order_by())
    untagged = {row["entry__source"] for row in groups if not row["line_of_business"]}
    settled = _settlement_weights(untagged, ramos)
    party_ids = {row["insurer_id"] or row["party_id"] for row in groups} - {None}
    insurers = {insurer.party_id: insurer for insurer in Insurer.objects.filter(party_id__in=party_ids)}
    parties = dict(Party.objects.filter(pk__in=party_ids - set(insurers)).values_list("pk", "display_name"))
    merged: dict[tuple, DecRow] = {}

    def add(ramo, insurer_name, code, amount):
        target = merged.setdefault((ramo, insurer_name), DecRow(ramo=ramo, insurer=insurer_name, insurer_code=code))
        target.amount += amount

    for row in groups:
        amount = money(row["amount"])
        party_id = row["insurer_id"] or row["party_id"]
        insurer = insurers.get(party_id)
        name = insurer.name if insurer else parties.get(party_id, _("Sin compañía"))
        code = insurer.dgsfp_code if insurer else ""
        if row["line_of_business"]:
            add(ramos.get(row["line_of_business"], NO_RAMO), name, code, amount)
            continue
        source = settled.get(row["entry__source"])
        if source is not None:
            name, code = source[0].name, source[0].dgsfp_code
        for ramo, part in _split(amount, source[1] if source else {}).items():
            add(ramo, name, code, part)
    dec.commissions = _sorted(row for row in merged.values() if row.amount)


def ledger_commissions(year: int) -> Decimal:
    """The broker's commission earned in the year per the commission ledger (collections)."""
    from apps.collections.models import CommissionMovement

    total = (CommissionMovement.objects.filter(collaborator__isnull=True,
                                               date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
             .aggregate(value=Sum("amount"))["value"])
    return money(total)


# --- receipts collected ---------------------------------------------------------------------------------

def _collected(dec: DecReturn, ramos: dict) -> None:
    from apps.collections.choices import ReceiptCollector, ReceiptMovementKind
    from apps.collections.models import ReceiptMovement

    rows = (ReceiptMovement.objects.filter(date__range=(dec.start, dec.end))
            .values("collector", "receipt__line__code", "insurer__name", "insurer__dgsfp_code")
            .annotate(amount=Sum("amount"), receipts=Count("receipt_id", distinct=True,
                                                           filter=Q(kind=ReceiptMovementKind.COLLECTION)))
            .order_by())
    merged: dict[tuple, DecRow] = {}
    for row in rows:
        ramo = ramos.get(row["receipt__line__code"], NO_RAMO)
        target = merged.setdefault((ramo, row["insurer__name"]), DecRow(
            ramo=ramo, insurer=row["insurer__name"], insurer_code=row["insurer__dgsfp_code"] or ""))
        amount = money(row["amount"])
        target.count += row["receipts"]
        target.amount += amount
        target.net += amount if row["collector"] == ReceiptCollector.BROKER else ZERO
        target.total += amount if row["collector"] != ReceiptCollector.BROKER else ZERO
        dec.collected_count += row["receipts"]
        if row["collector"] == ReceiptCollector.BROKER:
            dec.collected_broker += amount
        else:
            dec.collected_insurer += amount
    dec.collected = _sorted(merged.values())


# --- insurer current accounts (clients' funds) -------------------------------------------------------------

def insurer_accounts():
    """The insurers' subaccounts of the «insurers» account (4000xxxxxx of an insurer's party)."""
    from apps.accounting.models import Account
    from apps.accounting.services import mapped_account
    from apps.insurance.models import Insurer

    return Account.objects.filter(code__startswith=mapped_account("insurers").code,
                                  party_id__in=Insurer.objects.exclude(party=None).values("party_id"))


def books_collected(year: int) -> Decimal:
    """Net credits of the insurers' current accounts in the year from receipts (settlements left out)."""
    from apps.accounting.models import EntryLine

    total = (EntryLine.objects.filter(is_posted=True, account__in=insurer_accounts(),
                                      date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
             .exclude(entry__kind__in=NOT_ACCOUNTED).exclude(entry__source__startswith=SETTLEMENT_SOURCE)
             .aggregate(value=Sum(F("credit") - F("debit")))["value"])
    return money(total)


def books_funds(year: int) -> Decimal:
    """Credit balance of the insurers' current accounts on 31/12 (closing/opening entries left out)."""
    from apps.accounting.models import EntryLine

    total = (EntryLine.objects.filter(is_posted=True, account__in=insurer_accounts(),
                                      date__lte=datetime.date(year, 12, 31))
             .exclude(entry__kind__in=NOT_ACCOUNTED).aggregate(value=Sum(F("credit") - F("debit")))["value"])
    return money(total)


def _funds(dec: DecReturn) -> None:
    """Clients' funds per insurer from the portfolio: what the broker collected (movements with their
    entry) less what the settlements took as commission and what was paid to the insurer, to 31/12."""
    from apps.collections.choices import ReceiptCollector
    from apps.collections.models import ReceiptMovement, Settlement
    from apps.insurance.models import Insurer

    sums = defaultdict(lambda: ZERO)
    for row in (ReceiptMovement.objects.filter(collector=ReceiptCollector.BROKER, entry__isnull=False,
                                               date__lte=dec.end)
                .values("insurer_id").annotate(value=Sum("amount")).order_by()):
        sums[row["insurer_id"]] += money(row["value"])
    for row in (Settlement.objects.filter(entry__isnull=False, date__lte=dec.end)
                .values("insurer_id").annotate(value=Sum("commission_total")).order_by()):
        sums[row["insurer_id"]] -= money(row["value"])
    for row in (Settlement.objects.filter(payment_entry__isnull=False, paid_on__lte=dec.end)
                .values("insurer_id").annotate(value=Sum("amount_due")).order_by()):
        sums[row["insurer_id"]] -= money(row["value"])
    insurers = Insurer.objects.filter(pk__in=[pk for pk, value in sums.items() if value]).order_by("name")
    dec.funds = [DecRow(ramo="", insurer=insurer.name, insurer_code=insurer.dgsfp_code, amount=sums[insurer.pk])
                 for insurer in insurers]


# --- the return ------------------------------------------------------------------------------------------------

def premiums_register(year: int) -> tuple[Decimal, Decimal]:
    """(net, total) of the year's issued receipts, straight from the receipts register."""
    from apps.collections.choices import ReceiptState
    from apps.collections.models import Receipt

    row = (Receipt.objects.filter(period_start__year=year).exclude(state=ReceiptState.CANCELLED)
           .aggregate(net=Sum("net_premium"), total=Sum("total_premium")))
    return money(row["net"]), money(row["total"])


def dec_return(*, year: int) -> DecReturn:
    """The DEC of `year` with its checks (about a dozen queries, whatever the volume)."""
    dec = DecReturn(year=year)
    ramos = ramo_by_line()
    _premiums(dec, ramos)
    _commissions(dec, ramos)
    _collected(dec, ramos)
    _funds(dec)
    register_net, register_total = premiums_register(year)
    books = books_commissions(year)
    dec.checks = [
        DecCheck("premiums_net", _("Primas netas intermediadas"), dec.premiums_net, register_net,
                 _("Registro de recibos: efecto en el ejercicio, no anulados")),
        DecCheck("premiums_total", _("Primas totales (con impuestos y recargos)"), dec.premiums_total, register_total,
                 _("Registro de recibos: efecto en el ejercicio, no anulados")),
        DecCheck("commissions", _("Comisiones"), dec.commissions_total, books,
                 _("Saldo de las cuentas de ingresos por comisiones (%s) del ejercicio")
                 % ", ".join(commission_accounts().values_list("code", flat=True)[:5])),
        DecCheck("commissions_ledger", _("Comisiones devengadas según la cartera"), ledger_commissions(year), books,
                 _("Diferencia = comisiones devengadas aún no liquidadas ni facturadas, o facturadas sin recibos"),
                 informative=True),
        DecCheck("collected", _("Recibos cobrados por la correduría"), dec.collected_broker, books_collected(year),
                 _("Abonos netos de cobros en las cuentas corrientes con aseguradoras")),
        DecCheck("funds", _("Fondos de clientes al cierre"), dec.funds_total, books_funds(year),
                 _("Saldo acreedor de las cuentas corrientes con aseguradoras a 31/12")),
    ]
    return dec
