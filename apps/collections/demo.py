"""Demo receipts, collections, collaborators and insurer settlements for the demo brokerage; runs
after the insurance demo (app order) and ends with the renewal portfolio (apps.insurance.
demo_renewals) and, registered by apps.claims.demo, the claims.

1. Three collaborators (two auxiliares externos, one co-broker) with their share on ~6 % of the
   policies (share_set), before the receipts exist so the commission rows carry their parts.
2. Receipts for every issued demo policy that has none (receipts_generate_many: the insurance demo
   writes most policies in bulk, so its policy hooks never ran for them, ~13.000 receipts); the
   receipts of a cancelled policy's periods from its cancellation date on are cancelled in bulk
   (what receipt_cancel does, for hundreds of receipts: see _cancel_after_cancellation).
3. Collections of the receipts due up to today: SEPA for direct-debit policies, transfer, card or
   cash for the others, the insurer for its own. Last month's direct debits of policies in force are
   left for the treasury demo's remittance (left_for_remittance). Left pending on purpose: the receipts of suspended
   policies from their suspension on, ~1,5 % of the last two months, one first premium (art. 15
   LCS: no cover) and one later premium due over a month ago (cover suspended).
   Time: receipt_collect costs ~60-150 ms a receipt (entry, commission rows, audit), and ~9.000
   receipts are due, so only the SERVICE_RECEIPTS most recent ones (the last week or two) go
   through receipt_collect; ~10 % of those broker SEPA collections are returned (receipt_return,
   AC04 / MD06 / MS02) and about half of those collected again. The older receipts (the last
   three months included) are marked collected IN BULK: one
   COLLECTION movement each, the commission rows the ledger rules write for a collection
   (EARNED for earned-on-collection agreements, plus the collaborators' parts), and ONE summarising
   entry per month and insurer posted through entry_post (Dr bank / Cr the insurer's current
   account, journal COB, source SUMMARY_SOURCE) that every movement of that month and insurer
   points to. Receipts collected before the books start (the first fiscal year, 1 January of last
   year in the accounting demo) have no entry: one historical settlement per insurer (paid, no
   entry: it predates the books) takes their rows, so they never reach a settlement that posts.
4. Insurer settlements (settlement_close, which posts the commission invoice and the entry) for
   every finished month of the current year with the MAIN_INSURERS insurers that collected most,
   all paid (settlement_mark_paid) but the last one.

Runs once: each step skips what exists (collaborators by code, receipts per period, collections
when any receipt movement exists, renewals when any proposal exists). `limit` caps the receipts
collected through the services (tests)."""
import datetime
import random
import time
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from aitcore.registry import registry
from apps.collections.choices import (
    PERIOD_KINDS, CollaboratorKind, CollectionChannel, CommissionMovementKind, ReceiptCollector, ReceiptMovementKind,
    ReceiptState,
)
from apps.collections.models import Collaborator, CommissionMovement, CommissionShare, Receipt, ReceiptMovement
from apps.insurance.choices import CommissionEarnedOn, PaymentMethod, PolicyState

SERVICE_RECEIPTS = 200  # the most recent receipts due go through the services (see the module doc)
MAIN_INSURERS = 3
SUMMARY_SOURCE = "collections.demo"
HISTORY_PREFIX = "L-HIST-"
BATCH = 2000
RETURN_SHARE = 0.10  # of the SEPA collections through the services
RETURN_REASONS = ["AC04 Cuenta cancelada", "MD06 Devolución solicitada por el deudor",
                  "MS02 Motivo no especificado por el deudor"]
COLLABORATORS = [  # code, kind, share %, IRPF %, party data, DGSFP
    ("AUX-01", CollaboratorKind.EXTERNAL_AUXILIARY, "30.00", "15.00",
     {"kind": "person", "first_name": "Vicente", "last_name": "Soler Martí", "tax_id": "24357913"}, "AX-46-0712"),
    ("AUX-02", CollaboratorKind.EXTERNAL_AUXILIARY, "25.00", "7.00",
     {"kind": "person", "first_name": "Nuria", "last_name": "Ballester Peña", "tax_id": "48215276"}, "AX-46-1180"),
    ("COB-01", CollaboratorKind.CO_BROKER, "50.00", "0.00",
     {"kind": "company", "company_name": "Mediación Alicante Correduría de Seguros, S.L.", "tax_id": "B0391457"},
     "J-2954"),
]


def _tax_id(value: str) -> str:
    if value[0].isdigit():
        return value + "TRWAGMYFPDXBNJZSQVHLCKE"[int(value) % 23]
    from apps.insurance.demo import _with_check

    return _with_check(value)


def _month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


# --- 1. collaborators and shares ---------------------------------------------------------------------

def _collaborators(admin) -> list[Collaborator]:
    from apps.collections.services.collaborators import collaborator_create
    from apps.crm.models import Party
    from apps.crm.services.parties import party_create

    made = []
    for code, kind, share, irpf, data, dgsfp in COLLABORATORS:
        collaborator = Collaborator.objects.filter(code=code).first()
        if collaborator is None:
            tax_id = _tax_id(data["tax_id"])
            party = Party.objects.filter(tax_id=tax_id).first() or party_create(
                actor=admin, data={**data, "tax_id": tax_id, "status": "prospect"})
            collaborator = collaborator_create(actor=admin, data={
                "party": party, "kind": kind, "code": code, "default_share_pct": Decimal(share),
                "withholding_pct": Decimal(irpf), "dgsfp_code": dgsfp})
        made.append(collaborator)
    return made


def _shares(admin, rng, collaborators, policy_ids: list[int]) -> int:
    from apps.collections.services.collaborators import share_set

    if CommissionShare.objects.exists():
        return 0
    chosen = rng.sample(policy_ids, max(1, len(policy_ids) * 6 // 100)) if policy_ids else []
    for n, policy_id in enumerate(sorted(chosen)):
        collaborator = collaborators[n % len(collaborators)]
        share_set(actor=admin, policy=policy_id, collaborator=collaborator, pct=collaborator.default_share_pct)
    return len(chosen)


# --- 2. receipts ------------------------------------------------------------------------------------------

def _receipts(admin, rng, collaborators) -> int:
    from apps.collections.services.receipts_generate import receipts_generate_many
    from apps.insurance.models import Policy

    ids = list(Policy.objects.exclude(state=PolicyState.DRAFT).filter(current_version__isnull=False,
                                                                      receipts__isnull=True)
               .order_by("pk").values_list("pk", flat=True))
    _shares(admin, rng, collaborators, ids)
    made = receipts_generate_many(actor=admin, policy_ids=ids)
    _cancel_after_cancellation(admin)
    return made


def _cancel_after_cancellation(admin) -> int:
    """The periods of cancelled policies from their cancellation on, cancelled IN BULK (hundreds of
    receipts): what receipt_cancel does, i.e. the receipt cancelled and what it held of an earned-on-
    issue commission reversed (REVERSED rows copying each live EARNED row and its collaborators' parts)."""
    dead = list(Receipt.objects.filter(policy__state=PolicyState.CANCELLED, policy__cancellation_date__isnull=False,
                                       kind__in=PERIOD_KINDS, state=ReceiptState.ISSUED,
                                       period_start__gte=F("policy__cancellation_date"))
                .values_list("pk", "policy__cancellation_date"))
    when = dict(dead)
    earned = list(CommissionMovement.objects.filter(receipt_id__in=when, collaborator__isnull=True,
                                                    kind=CommissionMovementKind.EARNED, reversed_by__isnull=True)
                  .prefetch_related("shares").order_by("pk"))
    reversals = [CommissionMovement(
        receipt_id=row.receipt_id, policy_id=row.policy_id, insurer_id=row.insurer_id, kind=CommissionMovementKind.REVERSED,
        date=when[row.receipt_id], base=row.base, rate=row.rate, amount=-row.amount, reverses=row,
        description=f"Retrocesión de la comisión por anulación del recibo ({row.description})"[:250],
        created_by=admin) for row in earned]
    CommissionMovement.objects.bulk_create(reversals, batch_size=BATCH)
    CommissionMovement.objects.bulk_create([CommissionMovement(
        receipt_id=part.receipt_id, policy_id=part.policy_id, insurer_id=part.insurer_id,
        collaborator_id=part.collaborator_id, kind=CommissionMovementKind.REVERSED, date=reversal.date, base=part.base,
        rate=part.rate, amount=-part.amount, reverses=part, source=reversal, description=reversal.description,
        created_by=admin) for row, reversal in zip(earned, reversals) for part in row.shares.all()], batch_size=BATCH)
    for day in set(when.values()):
        Receipt.objects.filter(pk__in=[pk for pk, d in dead if d == day]).update(
            state=ReceiptState.CANCELLED, cancelled_on=day, notes="Anulación: póliza anulada antes del periodo.",
            updated_by=admin, updated_at=timezone.now(), version=F("version") + 1)
    return len(dead)


# --- 3. collections ---------------------------------------------------------------------------------------

def _channel(rng, method: str) -> str:
    if method == PaymentMethod.INSURER:
        return CollectionChannel.INSURER
    if method == PaymentMethod.BROKER_SEPA:
        return CollectionChannel.SEPA
    return rng.choice([CollectionChannel.TRANSFER, CollectionChannel.TRANSFER, CollectionChannel.CARD,
                       CollectionChannel.CASH])


def _pending_on_purpose(rng, due: list, today: datetime.date) -> set[int]:
    """Receipts left unpaid: suspended policies, a few recent ones and the two art. 15 cases."""
    from apps.insurance.models import PolicyStateChange

    suspended = dict(PolicyStateChange.objects.filter(to_state=PolicyState.SUSPENDED,
                                                      policy__state=PolicyState.SUSPENDED)
                     .values_list("policy_id", "effective_date"))
    keep = {r.pk for r in due if r.policy_id in suspended and r.due_date >= suspended[r.policy_id]}
    recent = [r for r in due if (today - r.due_date).days <= 60 and r.policy.state == PolicyState.IN_FORCE]
    keep |= {r.pk for r in recent if rng.random() < 0.015}
    first = [r for r in recent if r.is_first_premium and (today - r.due_date).days <= 25]
    later = [r for r in recent if not r.is_first_premium and 35 <= (today - r.due_date).days <= 60]
    for group in (first, later):
        if group:
            keep.add(min(group, key=lambda r: (r.due_date, r.pk)).pk)
    return keep


def _collection_date(rng, receipt, channel: str, today: datetime.date) -> datetime.date:
    delay = rng.randint(0, 2) if channel in (CollectionChannel.SEPA, CollectionChannel.INSURER) else rng.randint(0, 12)
    return min(receipt.due_date + datetime.timedelta(days=delay), today)


def _bulk_collect(admin, rng, receipts: list, books_start: datetime.date, today: datetime.date) -> int:
    """Older receipts: movements, commission rows and one summarising entry per month and insurer."""
    from apps.accounting.services import entry_post, mapped_account
    from apps.collections.services.accounts import insurer_account, insurer_party
    from apps.collections.services.commissions import share_rows

    bank = mapped_account("bank")
    plan, groups = [], defaultdict(list)
    for receipt in receipts:
        channel = _channel(rng, receipt.policy.payment_method)
        day = _collection_date(rng, receipt, channel, today)
        plan.append((receipt, channel, day))
        if receipt.collector == ReceiptCollector.BROKER and day >= books_start:
            groups[(_month_end(day), receipt.insurer_id)].append(receipt)
    entries = {}
    for (month_end, insurer_id), group in sorted(groups.items(), key=lambda kv: kv[0]):
        insurer = group[0].insurer
        party = insurer_party(insurer, actor=admin)
        total = sum((r.total_premium for r in group), Decimal("0.00"))
        label = f"{month_end:%m/%Y}"
        description = f"Cobros de recibos {label} · {insurer.name} (resumen de {len(group)} recibos)"
        entries[(month_end, insurer_id)] = entry_post(
            actor=admin, date=min(month_end, today), description=description, journal="COB", source=SUMMARY_SOURCE,
            lines=[{"account": bank, "debit": total, "insurer": party, "description": description},
                   {"account": insurer_account(insurer, actor=admin), "credit": total, "insurer": party,
                    "party": party, "description": description}])
    movements, broker_rows = [], []
    for receipt, channel, day in plan:
        entry = entries.get((_month_end(day), receipt.insurer_id)) if (
            receipt.collector == ReceiptCollector.BROKER and day >= books_start) else None
        movements.append(ReceiptMovement(
            receipt=receipt, insurer_id=receipt.insurer_id, kind=ReceiptMovementKind.COLLECTION, date=day,
            amount=receipt.total_premium, collector=receipt.collector, channel=channel, entry=entry,
            created_by=admin))
        agreement = receipt.agreement
        if (receipt.commission_amount and agreement is not None and not receipt.advance_offset
                and agreement.earned_on == CommissionEarnedOn.COLLECTION):
            broker_rows.append(CommissionMovement(
                receipt=receipt, policy_id=receipt.policy_id, insurer_id=receipt.insurer_id, kind=CommissionMovementKind.EARNED, date=day,
                base=receipt.net_premium, rate=receipt.commission_rate, amount=receipt.commission_amount,
                description=f"Comisión del recibo {receipt.number} (cobro)", created_by=admin))
    ReceiptMovement.objects.bulk_create(movements, batch_size=BATCH)
    CommissionMovement.objects.bulk_create(broker_rows, batch_size=BATCH)
    shares = defaultdict(list)
    for share in CommissionShare.objects.filter(policy_id__in={row.policy_id for row in broker_rows}):
        shares[share.policy_id].append(share)
    CommissionMovement.objects.bulk_create(
        [part for row in broker_rows for part in share_rows(row, shares.get(row.policy_id, ()), actor=admin)],
        batch_size=BATCH)
    with connection.cursor() as cursor:  # one UPDATE per batch (bulk_update's CASE is slow at this size)
        for offset in range(0, len(plan), BATCH):
            chunk = plan[offset:offset + BATCH]
            cursor.execute(
                f"UPDATE {Receipt._meta.db_table} AS r SET state = 'collected', collected_amount = r.total_premium, "
                "collected_on = v.day, collected_at = v.at, channel = v.channel, version = r.version + 1, "
                "updated_at = now() FROM (VALUES " + ", ".join(["(%s, %s::date, %s::timestamptz, %s)"] * len(chunk))
                + ") AS v (id, day, at, channel) WHERE r.id = v.id",
                [value for receipt, channel, day in chunk for value in (receipt.pk, day, _at(day), channel)])
    return len(plan)


def _service_collect(admin, rng, receipts: list, today: datetime.date) -> dict:
    """Recent receipts through the services, with some returns and re-collections."""
    from apps.collections.services.receipts import receipt_collect, receipt_return

    counts = {"collected": 0, "returned": 0, "recollected": 0}
    returned = []
    for receipt in receipts:
        channel = _channel(rng, receipt.policy.payment_method)
        day = _collection_date(rng, receipt, channel, today)
        receipt_collect(actor=admin, receipt=receipt, date=day, channel=channel, at=_at(day))
        counts["collected"] += 1
        if (channel == CollectionChannel.SEPA and (today - day).days >= 2 and receipt.total_premium > 0
                and rng.random() < RETURN_SHARE):
            back = day + datetime.timedelta(days=rng.randint(2, min(9, (today - day).days)))
            receipt_return(actor=admin, receipt=receipt, date=back, reason=rng.choice(RETURN_REASONS))
            counts["returned"] += 1
            returned.append((receipt, back))
    for receipt, back in returned:
        if rng.random() < 0.55:
            day = min(back + datetime.timedelta(days=rng.randint(4, 12)), today)
            receipt_collect(actor=admin, receipt=receipt, date=day, channel=CollectionChannel.TRANSFER, at=_at(day))
            counts["recollected"] += 1
    return counts


def left_for_remittance(today: datetime.date):
    """Last month's receipts the broker collects by direct debit on policies in force: left open here, the
    treasury demo (apps.treasury.demo) collects them through a SEPA remittance."""
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return Receipt.objects.filter(state=ReceiptState.ISSUED, total_premium__gt=0, collector=ReceiptCollector.BROKER,
                                  policy__payment_method=PaymentMethod.BROKER_SEPA, policy__state=PolicyState.IN_FORCE,
                                  due_date__range=(first, _month_end(first)))


def _collect(admin, rng, today: datetime.date, books_start: datetime.date, limit: int | None) -> dict:
    remit = set(left_for_remittance(today).values_list("pk", flat=True))
    due = list(Receipt.objects.filter(state=ReceiptState.ISSUED, due_date__lte=today, total_premium__gt=0)
               .exclude(policy__state=PolicyState.DRAFT).exclude(pk__in=remit)
               .select_related("policy", "insurer", "agreement").order_by("due_date", "pk"))
    keep = _pending_on_purpose(rng, due, today)
    wanted = [r for r in due if r.pk not in keep]
    split = max(len(wanted) - (SERVICE_RECEIPTS if limit is None else limit), 0)
    older, recent = wanted[:split], wanted[split:]
    bulk = _bulk_collect(admin, rng, older, books_start, today)
    return {"bulk": bulk, "pending_on_purpose": len(keep), "for_remittance": len(remit),
            **_service_collect(admin, rng, recent, today)}


# --- 4. settlements ---------------------------------------------------------------------------------------

def _history(admin, books_start: datetime.date) -> int:
    """One paid settlement per insurer for what moved before the books start (no entry)."""
    from apps.collections.choices import SettlementState
    from apps.collections.models import Settlement
    from apps.collections.services.settlements import FIGURES, settlement_preview
    from apps.insurance.models import Insurer

    end = books_start - datetime.timedelta(days=1)
    made = 0
    for insurer in Insurer.objects.filter(pk__in=ReceiptMovement.objects.filter(date__lte=end, settlement__isnull=True)
                                          .values("insurer_id")).order_by("pk"):
        first = ReceiptMovement.objects.filter(insurer=insurer).order_by("date").values_list("date", flat=True)[0]
        first = min(first, CommissionMovement.objects.filter(insurer=insurer).order_by("date")
                    .values_list("date", flat=True).first() or first)
        draft = settlement_preview(insurer=insurer, period_start=first, period_end=end)
        settlement = Settlement.objects.create(
            number=f"{HISTORY_PREFIX}{insurer.pk:04d}", insurer=insurer, period_start=first, period_end=end, date=end,
            state=SettlementState.PAID, paid_on=end, **{name: getattr(draft, name) for name in FIGURES},
            notes="Liquidaciones anteriores al inicio de la contabilidad en AIT-CORE (histórico cargado en bloque, "
                  "sin asiento).", created_by=admin, updated_by=admin)
        ReceiptMovement.objects.filter(pk__in=draft.receipt_movement_ids).update(settlement=settlement)
        CommissionMovement.objects.filter(pk__in=draft.commission_movement_ids).update(settlement=settlement)
        made += 1
    return made


def _settlements(admin, today: datetime.date) -> int:
    from django.db.models import Count

    from apps.collections.services.settlements import settlement_close, settlement_mark_paid, settlement_preview
    from apps.insurance.models import Insurer

    main = [row["insurer_id"] for row in ReceiptMovement.objects.filter(collector=ReceiptCollector.BROKER)
            .values("insurer_id").annotate(n=Count("id")).order_by("-n", "insurer_id")[:MAIN_INSURERS]]
    made = []
    for insurer in Insurer.objects.filter(pk__in=main).order_by("pk"):
        for month in range(1, today.month):
            first = datetime.date(today.year, month, 1)
            last = _month_end(first)
            if settlement_preview(insurer=insurer, period_start=first, period_end=last).is_empty:
                continue  # a quiet month: nothing to settle
            made.append(settlement_close(actor=admin, insurer=insurer, period_start=first, period_end=last,
                                         date=min(last + datetime.timedelta(days=10), today)))
    latest = max((s.period_end for s in made), default=None)
    for settlement in made:
        if settlement.period_end != latest:
            settlement_mark_paid(actor=admin, settlement=settlement,
                                 date=min(settlement.date + datetime.timedelta(days=5), today))
    return len(made)


# --- the seeder ---------------------------------------------------------------------------------------------

def _books_start(admin, today: datetime.date) -> datetime.date:
    from apps.accounting.models import FiscalYear
    from apps.accounting.services import fiscal_year_for_calendar_year

    for year in (today.year - 1, today.year):
        fiscal_year_for_calendar_year(actor=admin, year=year)
    return FiscalYear.objects.order_by("start_date").values_list("start_date", flat=True)[0]


def collections_demo_seed(*, admin, today: datetime.date | None = None, limit: int | None = None,
                          renewals: bool = True) -> dict:
    """The demo's receipts and money (see the module doc). Returns what it did, by step."""
    from apps.insurance.models import Policy

    if not Policy.objects.exists():
        return {}
    today = today or timezone.localdate()
    rng = random.Random(2026_1)
    done, seconds = {}, {}
    started = time.perf_counter()

    def lap(name):
        nonlocal started
        seconds[name] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()

    with transaction.atomic():
        collaborators = _collaborators(admin)
        done["receipts"] = _receipts(admin, rng, collaborators)
    lap("receipts")
    if not ReceiptMovement.objects.exists():
        with transaction.atomic():
            books_start = _books_start(admin, today)
            done.update(_collect(admin, rng, today, books_start, limit))
            lap("collections")
            done["history"] = _history(admin, books_start)
            done["settlements"] = _settlements(admin, today)
            lap("settlements")
    if renewals:
        from apps.insurance.demo_renewals import renewals_demo_seed

        with transaction.atomic():
            done["renewals"] = renewals_demo_seed(admin=admin, today=today, limit=limit)
        lap("renewals")
    done["seconds"] = seconds
    return done


registry.register_demo_seeder(collections_demo_seed)
