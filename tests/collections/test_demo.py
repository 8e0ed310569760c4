"""The collections demo seeder on the test brokerage, at a reduced volume (the insurance demo with
~150 policies): receipts for every issued policy, collections tied to the books (an entry per
collection or the month's summary entry), commission ledger consistent with the receipts,
collaborators' parts, the art. 15 cases, insurer settlements posted, renewals decided, idempotent."""
import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import F, Q, Sum

from apps.accounting.models import Entry, EntryLine
from apps.collections.choices import (
    CollaboratorKind, CommissionMovementKind, CoverState, ReceiptCollector, ReceiptMovementKind, ReceiptState,
)
from apps.collections.demo import HISTORY_PREFIX, SUMMARY_SOURCE, collections_demo_seed
from apps.collections.models import (
    Collaborator, CommissionMovement, CommissionShare, Receipt, ReceiptMovement, Settlement,
)
from apps.insurance.choices import CommissionEarnedOn, PolicyState, RenewalState
from apps.insurance.demo import insurance_demo_seed
from apps.insurance.models import Policy, RenewalProposal
from apps.insurance.rating import money

TODAY = datetime.date(2026, 12, 4)
BOOKS_START = datetime.date(2025, 1, 1)
EARNING = (CommissionMovementKind.EARNED, CommissionMovementKind.REVERSED, CommissionMovementKind.RESTORED)


@pytest.fixture
def clients(tenant_a, users_a):
    from apps.crm.models import Party

    managers = [users_a["comercial"], users_a["admin"]]
    return [Party.objects.create(display_name=f"Cliente Demo {i}", kind="person", tax_id=f"{10000000 + i}",
                                 first_name="Cliente", last_name=f"Demo {i}", status="client",
                                 account_manager=managers[i % 2]) for i in range(12)]


@pytest.fixture
def seeded(admin_a, clients):
    insurance_demo_seed(admin=admin_a, policies=150, quotes=0, today=TODAY)
    return collections_demo_seed(admin=admin_a, today=TODAY)


def test_receipts_collections_books_and_ledger(seeded):
    """One seeding, several checks (the seeding is the slow part)."""
    _every_issued_policy_has_its_receipts(seeded)
    _collections_tie_to_the_books(seeded)
    _commission_ledger_matches_the_receipts(seeded)
    _returns_recollections_and_collaborators(seeded)


def test_cover_settlements_renewals_and_a_second_run(seeded, admin_a):
    _art_15_cases_show(seeded)
    _settlements_close_the_months_and_post(seeded)
    _renewals_built_and_decided(seeded)
    _second_run_adds_nothing(admin_a)


def _every_issued_policy_has_its_receipts(seeded):
    issued = Policy.objects.exclude(state=PolicyState.DRAFT)
    assert not issued.filter(receipts__isnull=True).exists()
    assert seeded["receipts"] > issued.count()
    # a cancelled policy's periods after its cancellation are cancelled
    late = Receipt.objects.filter(policy__state=PolicyState.CANCELLED, kind__in=("new", "renewal"),
                                  period_start__gte=F("policy__cancellation_date"))
    assert late.exists() and not late.exclude(state=ReceiptState.CANCELLED).exists()


def _collections_tie_to_the_books(seeded):
    assert seeded["bulk"] > 0 and seeded["collected"] > 0
    due = Receipt.objects.filter(due_date__lte=TODAY).exclude(state=ReceiptState.CANCELLED)
    collected = due.filter(state=ReceiptState.COLLECTED).count()
    assert collected / due.count() > 0.85
    broker = ReceiptMovement.objects.filter(collector=ReceiptCollector.BROKER)
    # every broker collection has its entry (its own or the month's summary) or predates the books
    # and sits in the insurer's historical settlement
    loose = broker.filter(entry__isnull=True).exclude(date__lt=BOOKS_START,
                                                      settlement__number__startswith=HISTORY_PREFIX)
    assert not loose.exists()
    assert not ReceiptMovement.objects.filter(collector=ReceiptCollector.INSURER, entry__isnull=False).exists()
    # a summary entry carries exactly the movements pointing at it
    summaries = Entry.objects.filter(source=SUMMARY_SOURCE)
    assert summaries.exists()
    for entry in summaries:
        moved = ReceiptMovement.objects.filter(entry=entry).aggregate(t=Sum("amount"))["t"]
        assert entry.lines.aggregate(t=Sum("debit"))["t"] == moved
        assert ReceiptMovement.objects.filter(entry=entry).values("insurer").distinct().count() == 1
    # the trial balance balances
    totals = EntryLine.objects.filter(is_posted=True).aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"] and totals["d"] > 0


def _commission_ledger_matches_the_receipts(seeded):
    held = defaultdict(Decimal)
    for receipt_id, amount in CommissionMovement.objects.filter(collaborator__isnull=True, kind__in=EARNING) \
            .values_list("receipt_id", "amount"):
        held[receipt_id] += amount
    for receipt in Receipt.objects.select_related("agreement").filter(advance_offset=0):
        on_issue = receipt.agreement is not None and receipt.agreement.earned_on == CommissionEarnedOn.ISSUE
        earned = receipt.state == ReceiptState.COLLECTED or (
            on_issue and receipt.state not in (ReceiptState.CANCELLED, ReceiptState.RETURNED))
        assert held[receipt.pk] == (receipt.commission_amount if earned else Decimal("0.00")), receipt.number
    # collaborators' parts follow the broker's rows
    parts = CommissionMovement.objects.filter(collaborator__isnull=False).select_related("source")
    assert parts.exists()
    shares = {(s.policy_id, s.collaborator_id): s.share_pct for s in CommissionShare.objects.all()}
    for part in parts:
        assert part.source is not None and part.kind == part.source.kind
        assert part.amount == money(part.source.amount * shares[(part.policy_id, part.collaborator_id)] / 100)


def _returns_recollections_and_collaborators(seeded):
    returns = ReceiptMovement.objects.filter(kind=ReceiptMovementKind.RETURN)
    assert seeded["returned"] == returns.count() > 0
    assert {reason[:4] for reason in returns.values_list("reason", flat=True)} <= {"AC04", "MD06", "MS02"}
    assert not returns.filter(entry__isnull=True).exists()  # each return reverses its collection's entry
    if seeded["recollected"]:
        assert CommissionMovement.objects.filter(kind=CommissionMovementKind.RESTORED).exists() or \
            Receipt.objects.filter(returned_on__isnull=False, state=ReceiptState.COLLECTED).exists()
    kinds = sorted(Collaborator.objects.values_list("kind", flat=True))
    assert kinds == sorted([CollaboratorKind.EXTERNAL_AUXILIARY, CollaboratorKind.EXTERNAL_AUXILIARY,
                            CollaboratorKind.CO_BROKER])
    assert CommissionShare.objects.count() >= 3


def _art_15_cases_show(seeded):
    from apps.collections.services.cover import cover_state
    from django.utils import timezone

    at = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12, 0)))
    pending = Receipt.objects.filter(state=ReceiptState.ISSUED, due_date__lt=TODAY,
                                     policy__state=PolicyState.IN_FORCE).select_related("policy")
    states = {cover_state(policy=r.policy, at=at).state for r in pending}
    assert CoverState.FIRST_PREMIUM_UNPAID in states
    assert CoverState.SUSPENDED in states


def _settlements_close_the_months_and_post(seeded):
    closed = Settlement.objects.exclude(number__startswith=HISTORY_PREFIX)
    assert seeded["settlements"] == closed.count() > 0
    assert not closed.filter(entry__isnull=True).exists()
    assert closed.filter(period_start__year=2026).exists()
    assert closed.filter(state="closed").exists() and closed.filter(state="paid").exists()
    # nothing before the books is left for a settlement that posts
    assert not ReceiptMovement.objects.filter(date__lt=BOOKS_START, settlement__isnull=True).exists()
    assert not CommissionMovement.objects.filter(Q(date__lt=BOOKS_START), collaborator__isnull=True,
                                                 settlement__isnull=True).exists()


def _renewals_built_and_decided(seeded):
    proposals = RenewalProposal.objects.all()
    assert seeded["renewals"]["built"] == proposals.count() > 0
    renewed = proposals.filter(state=RenewalState.RENEWED)
    assert renewed.exists() and proposals.filter(state=RenewalState.NOT_RENEWED).exists()
    assert proposals.filter(state=RenewalState.PENDING).exists()
    for proposal in renewed.select_related("renewed_policy"):
        assert proposal.renewed_policy.receipts.exists()


def _second_run_adds_nothing(admin_a):
    counts = (Receipt.objects.count(), ReceiptMovement.objects.count(), CommissionMovement.objects.count(),
              Entry.objects.count(), Settlement.objects.count(), RenewalProposal.objects.count())
    collections_demo_seed(admin=admin_a, today=TODAY)
    assert (Receipt.objects.count(), ReceiptMovement.objects.count(), CommissionMovement.objects.count(),
            Entry.objects.count(), Settlement.objects.count(), RenewalProposal.objects.count()) == counts
