"""Read side of the bank statements: the statements list, a statement's lines by state and the
unreconciled movements (search and amount filter), each with the live reconciliation of a line."""
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Prefetch, Q, Sum

from apps.treasury.choices import StatementLineState
from apps.treasury.models import Reconciliation, Statement, StatementLine


def statements_list():
    return (Statement.objects.select_related("bank_account", "imported_by")
            .annotate(line_count=Count("lines"),
                      pending_count=Count("lines", filter=~Q(lines__state=StatementLineState.RECONCILED))))


def live_reconciliations() -> Prefetch:
    return Prefetch("reconciliations", to_attr="live",
                    queryset=Reconciliation.objects.filter(undone_at__isnull=True)
                    .select_related("target_type", "entry").prefetch_related("target"))


def statement_lines(statement: Statement) -> dict:
    """The statement's lines grouped by state, in the order pending, proposed, reconciled."""
    lines = statement.lines.order_by("operation_date", "pk").prefetch_related(live_reconciliations())
    groups = {state: [] for state in StatementLineState.values}
    for line in lines:
        groups[line.state].append(line)
    return groups


def parse_amount(text: str) -> Decimal | None:
    """«1.500,00», «1500.00» or «-12,5» -> Decimal; None when it is not an amount."""
    text = (text or "").strip().replace(" ", "").replace("€", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value.quantize(Decimal("0.01")) if value.is_finite() else None


def unreconciled_lines(*, search: str = "", amount: Decimal | None = None, state: str = "", bank_account=None):
    """Lines not yet reconciled (pending or proposed); the amount matches its absolute value."""
    queryset = (StatementLine.objects.exclude(state=StatementLineState.RECONCILED)
                .select_related("bank_account").prefetch_related(live_reconciliations()))
    if state in (StatementLineState.PENDING, StatementLineState.PROPOSED):
        queryset = queryset.filter(state=state)
    if bank_account:
        queryset = queryset.filter(bank_account=bank_account)
    if search:
        queryset = queryset.filter(Q(description__icontains=search) | Q(reference1__icontains=search)
                                   | Q(reference2__icontains=search) | Q(document_number__icontains=search))
    if amount is not None:
        queryset = queryset.filter(amount__in=[amount, -amount])
    return queryset


def lines_totals(queryset) -> dict:
    totals = queryset.aggregate(credits=Sum("amount", filter=Q(amount__gt=0)),
                                debits=Sum("amount", filter=Q(amount__lt=0)), count=Count("pk"))
    return {"credits": totals["credits"] or Decimal("0.00"), "debits": -(totals["debits"] or Decimal("0.00")),
            "count": totals["count"]}
