"""receipts_generate_many: the same receipts as one by one, with a fixed number of queries."""
import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.collections.choices import CommissionMovementKind
from apps.collections.models import CommissionMovement, Receipt
from apps.collections.services.receipts_generate import receipts_for_policy_issue, receipts_generate_many
from apps.insurance.choices import CommissionEarnedOn, PaymentFrequency

D = Decimal
FIELDS = ("sequence", "kind", "is_first_premium", "period_start", "period_end", "due_date", "net_premium", "ips",
          "consorcio", "clea", "total_premium", "collector", "state", "commission_rate", "commission_amount",
          "advance_offset", "agreement_id")


def _rows(policy):
    return list(Receipt.objects.filter(policy=policy).order_by("sequence").values_list(*FIELDS))


def _drafts(issued_policy, count, **kwargs):
    frequencies = [PaymentFrequency.MONTHLY, PaymentFrequency.QUARTERLY, PaymentFrequency.ANNUAL]
    return [issued_policy(net=D("1000.01") + n, frequency=frequencies[n % 3], issue=False, **kwargs)
            for n in range(count)]


def test_many_gives_the_same_receipts_as_one_by_one(issued_policy, admin_a):
    bulk = _drafts(issued_policy, 3, agreement={"earned_on": CommissionEarnedOn.ISSUE})
    single = _drafts(issued_policy, 3)
    assert receipts_generate_many(actor=admin_a, policy_ids=[p.pk for p in bulk]) == 12 + 4 + 1
    for policy in single:
        receipts_for_policy_issue(actor=admin_a, policy=policy)
    for one, other in zip(bulk, single, strict=True):
        assert _rows(one) == _rows(other) and _rows(one)
    assert receipts_generate_many(actor=admin_a, policy_ids=[p.pk for p in bulk]) == 0  # idempotent
    earned = CommissionMovement.objects.filter(policy__in=bulk, kind=CommissionMovementKind.EARNED)
    assert earned.count() == 17


def test_upfront_advances_in_bulk(issued_policy, admin_a):
    policies = _drafts(issued_policy, 2, agreement={"new_business_pct": D("60.00"), "upfront": True})
    receipts_generate_many(actor=admin_a, policy_ids=[p.pk for p in policies])
    advances = CommissionMovement.objects.filter(policy__in=policies, kind=CommissionMovementKind.ADVANCE)
    # the advance is the sum of the receipts' offsets (each rounded): 11 × 50,00 + 50,03; 3 × 150,15 + 150,16
    assert sorted(a.amount for a in advances) == [D("600.03"), D("600.61")]


def test_query_count_does_not_grow_with_the_number_of_policies(issued_policy, admin_a):
    few = _drafts(issued_policy, 2, agreement={"earned_on": CommissionEarnedOn.ISSUE})
    many = _drafts(issued_policy, 8)
    counts = []
    for policies in (few, many):
        with CaptureQueriesContext(connection) as queries:
            receipts_generate_many(actor=admin_a, policy_ids=[p.pk for p in policies])
        counts.append(len(queries))
    assert counts[0] == counts[1] == 13


def test_chunks_split_the_work(issued_policy, admin_a):
    policies = _drafts(issued_policy, 5)
    assert receipts_generate_many(actor=admin_a, policy_ids=[p.pk for p in policies], chunk=2) == 12 + 4 + 1 + 12 + 4
    assert Receipt.objects.filter(policy__in=policies).count() == 33
    assert {p.pk for p in policies} == set(Receipt.objects.filter(policy__in=policies).values_list("policy_id",
                                                                                                  flat=True))
    assert datetime.date(2026, 1, 1) in Receipt.objects.values_list("period_start", flat=True)


def test_the_chunk_task_generates_in_the_tenant(issued_policy):
    from apps.collections.tasks import receipts_generate_chunk

    policies = _drafts(issued_policy, 2)
    result = receipts_generate_chunk.apply(args=[[p.pk for p in policies]]).get()
    assert result == {"schema": "alfa", "receipts": 16}
