"""Demo renewal portfolio: the renewal build run for today (the beat job's work: one proposal per
policy expiring within the configured days), then, through the renewal services, some proposals
confirmed (the renewed policies get their receipts from the policy hooks), a few with the insurer's
updated premium, and a few declined with their reason; the rest stay pending for the portfolio page.

Called by the collections demo seeder (apps.collections.demo) once the demo policies have their
receipts. Runs once: skips when any renewal proposal exists."""
import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError

from apps.insurance.choices import NonRenewalReason, RenewalState
from apps.insurance.models import RenewalProposal

CONFIRM_SHARE = 0.30  # of the proposals expiring within 30 days
DECLINE_SHARE = 0.10
INSURER_UPDATE_SHARE = 0.15
DECLINE_REASONS = [
    (NonRenewalReason.PRICE, "La subida de prima supera lo que el cliente acepta."),
    (NonRenewalReason.COMPETITOR, "Contrata con otra compañía a través de su banco."),
    (NonRenewalReason.CLIENT_REQUEST, "Vende el vehículo antes del vencimiento."),
    (NonRenewalReason.INSURER_DECLINED, "La compañía no renueva por siniestralidad."),
]


def renewals_demo_seed(*, admin, today: datetime.date | None = None, limit: int | None = None) -> dict:
    """Builds today's portfolio and decides part of it. `limit` caps the decisions (tests)."""
    from apps.insurance.services.renewals import (
        renewal_confirm, renewal_decline, renewal_set_premium, renewals_build,
    )

    if RenewalProposal.objects.exists():
        return {"built": 0, "confirmed": 0, "declined": 0, "updated": 0}
    today = today or timezone.localdate()
    rng = random.Random(2026_6)
    built = renewals_build(actor=admin, today=today)
    soon = list(RenewalProposal.objects.filter(expiry_date__lte=today + datetime.timedelta(days=30))
                .select_related("policy").order_by("expiry_date", "pk"))
    rng.shuffle(soon)
    cap = limit if limit is not None else len(soon)
    to_confirm = soon[:min(cap, round(len(soon) * CONFIRM_SHARE))]
    to_decline = soon[len(to_confirm):len(to_confirm) + min(cap, max(1, round(len(soon) * DECLINE_SHARE)))]
    later = list(RenewalProposal.objects.filter(state=RenewalState.PENDING).exclude(
        pk__in=[p.pk for p in to_confirm + to_decline]).order_by("pk"))
    to_update = rng.sample(later, min(cap, round(len(later) * INSURER_UPDATE_SHARE), len(later)))
    counts = {"built": built, "confirmed": 0, "declined": 0, "updated": 0}
    for proposal in to_update + to_confirm[: len(to_confirm) // 3]:
        # the insurer's portfolio file: between -2 % and +9 % on the current net premium
        rise = Decimal(str(round(rng.uniform(0.98, 1.09), 3)))
        renewal_set_premium(actor=admin, proposal=proposal,
                            net_premium=(proposal.current_net_premium * rise).quantize(Decimal("0.01")),
                            notes="Prima comunicada por la compañía en su fichero de cartera.")
        counts["updated"] += 1
    for proposal in to_confirm:
        try:
            with transaction.atomic():
                renewal_confirm(actor=admin, proposal=proposal)
        except DomainError:  # a suspended policy is not renewed: it stays pending on the page
            continue
        counts["confirmed"] += 1
    for proposal in to_decline:
        reason, notes = rng.choice(DECLINE_REASONS)
        renewal_decline(actor=admin, proposal=proposal, reason=reason, notes=notes)
        counts["declined"] += 1
    return counts
