"""Demo LDS evidence for the demo brokerage: the DGSFP mapping of every line with its defaults, and
the four duties recorded for the live and renewed policies a few days before their effect date (IPID
and pre-contract information by e-mail, web or signature; the demands-and-needs test with answers
from the policy's quote or a short standard set and the product's suitability statement; the
remuneration disclosure with the nature the commission setting implies). Left missing on purpose so
the compliance dashboard has work: every MISSING_EVERY-th policy lacks one duty (rotating) and the
most recent MISSING_ALL policies have none. Written in bulk (thousands of rows) with one summarising
audit event. Runs once: skips when any evidence exists."""
import datetime
import random

from django.db import transaction
from django.utils import timezone

from aitcore.registry import registry
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.regulatory.choices import DeliveryChannel, EvidenceKind, RemunerationNature
from apps.regulatory.models import DistributionEvidence

MISSING_EVERY = 12
MISSING_ALL = 5
BATCH = 2000
STANDARD_ANSWERS = {"cover_wanted": "Las coberturas habituales del ramo con un buen servicio de siniestros.",
                    "priority": "balance"}
KINDS = list(EvidenceKind)


def _agreed_pairs() -> set[tuple[int, int | None]]:
    from apps.insurance.models import CommissionAgreement

    return set(CommissionAgreement.objects.values_list("insurer_id", "product_id"))


@transaction.atomic
def regulatory_demo_seed(*, admin, today: datetime.date | None = None) -> dict:
    from apps.insurance.choices import PolicyState
    from apps.insurance.models import Policy
    from apps.regulatory.questionnaire import suitability_statement
    from apps.regulatory.services.mapping import mapping_defaults_ensure

    mapped = mapping_defaults_ensure(actor=admin)
    if DistributionEvidence.objects.exists():
        return {"mappings": mapped}
    today = today or timezone.localdate()
    rng = random.Random(2026_8)
    policies = list(Policy.objects.exclude(state=PolicyState.DRAFT).filter(start_date__lte=today)
                    .select_related("insurer", "product", "quote").order_by("start_date", "pk"))
    if not policies:
        return {"mappings": mapped}
    agreed = _agreed_pairs()
    none_at_all = {policy.pk for policy in policies[-MISSING_ALL:]}
    rows, skipped = [], 0
    for n, policy in enumerate(policies):
        if policy.pk in none_at_all:
            skipped += len(KINDS)
            continue
        left_out = KINDS[(n // MISSING_EVERY) % len(KINDS)] if n % MISSING_EVERY == MISSING_EVERY - 1 else None
        delivered = timezone.make_aware(datetime.datetime.combine(
            policy.start_date - datetime.timedelta(days=rng.randint(1, 10)), datetime.time(rng.randint(9, 18), 0)))
        channel = rng.choice([DeliveryChannel.EMAIL, DeliveryChannel.EMAIL, DeliveryChannel.SIGNATURE,
                              DeliveryChannel.WEB, DeliveryChannel.PAPER])
        commission = (policy.insurer_id, policy.product_id) in agreed or (policy.insurer_id, None) in agreed
        for kind in KINDS:
            if kind == left_out:
                skipped += 1
                continue
            answers, statement, nature = {}, "", ""
            if kind == EvidenceKind.DEMANDS_NEEDS:
                answers = (policy.quote.demands_and_needs if policy.quote_id and policy.quote.demands_and_needs
                           else STANDARD_ANSWERS)
                statement = suitability_statement(policy, answers)
            if kind == EvidenceKind.REMUNERATION:
                nature = RemunerationNature.COMMISSION if commission else RemunerationNature.FEES
            rows.append(DistributionEvidence(
                policy=policy, kind=kind, delivered_at=delivered, channel=channel, answers=answers,
                statement=statement, remuneration_nature=nature, recorded_by=admin, created_by=admin,
                updated_by=admin))
    DistributionEvidence.objects.bulk_create(rows, batch_size=BATCH)
    audit_event_record(actor=admin, action=AuditAction.ACTION, verb="distribution_evidence_demo",
                       changes={"evidencias": [None, len(rows)], "pendientes": [None, skipped]})
    return {"mappings": mapped, "evidence": len(rows), "missing": skipped}


registry.register_demo_seeder(regulatory_demo_seed)
