"""Claim fraud indicators (apps.claims): rules with weights, summed into a 0-1 score (1 - e^(-points)); the
reasons are the rules that fired. Not a verdict: a list of claims worth a second look.

Rules: loss soon after the policy's start (< 30 days: 1,5 points; < 90 days: 0,75), loss close to the
policy's expiry or cancellation (< 15 days: 0,5), late report (> 30 days after the loss: 0,5), reserve or
paid amount far above the line's history (robust z > 3,5: 1,0), a claimant with other claims in the 12
months before (2+: 1,0; 1: 0,4), paid beyond the reserve (0,5), a possible duplicate (1,0)."""
import math
from collections import defaultdict

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.money import format_eur
from apps.predictive.choices import ModelKind
from apps.predictive.errors import EngineInputError
from apps.predictive.services.versions import model_version_create, scores_store

WEIGHTS = {"very_early": 1.5, "early": 0.75, "near_end": 0.5, "late_report": 0.5, "amount": 1.0,
           "repeat_many": 1.0, "repeat_one": 0.4, "over_reserve": 0.5, "duplicate": 1.0}
Z_LIMIT = 3.5
MIN_LINE_HISTORY = 8


def _line_stats(claims) -> dict:
    amounts = defaultdict(list)
    for claim in claims:
        amounts[claim.line_id].append(float(max(claim.reserve, claim.paid_total)))
    stats = {}
    for line, values in amounts.items():
        data = np.asarray(values)
        median = float(np.median(data))
        mad = float(np.median(np.abs(data - median))) * 1.4826
        stats[line] = (median, mad if mad > 0 else max(median * 0.1, 1.0), len(values))
    return stats


def claim_indicators(claim, *, stats: dict, history: dict) -> tuple[float, list[str]]:
    """Points and reasons of one claim; `history`: policyholder -> loss dates of all their claims."""
    points, why = 0.0, []
    policy = claim.policy
    since_start = (claim.loss_date - policy.start_date).days
    if since_start < 30:
        points += WEIGHTS["very_early"]
        why.append(_("Ocurrido %(d)s días después del efecto de la póliza") % {"d": since_start})
    elif since_start < 90:
        points += WEIGHTS["early"]
        why.append(_("Ocurrido %(d)s días después del efecto de la póliza") % {"d": since_start})
    end = policy.cancellation_date or policy.expiry_date
    if end and 0 <= (end - claim.loss_date).days < 15:
        points += WEIGHTS["near_end"]
        why.append(_("Ocurrido a %(d)s días del fin de la cobertura") % {"d": (end - claim.loss_date).days})
    delay = (claim.reported_date - claim.loss_date).days
    if delay > 30:
        points += WEIGHTS["late_report"]
        why.append(_("Declarado %(d)s días después de ocurrir") % {"d": delay})
    median, scale, n = stats.get(claim.line_id, (0.0, 1.0, 0))
    amount = max(claim.reserve, claim.paid_total)
    if n >= MIN_LINE_HISTORY and (float(amount) - median) / scale > Z_LIMIT:
        points += WEIGHTS["amount"]
        why.append(_("Importe %(a)s muy por encima de lo habitual en el ramo (mediana %(m)s)") % {
            "a": format_eur(amount), "m": format_eur(str(round(median, 2)))})
    earlier = [d for d in history.get(claim.policyholder_id, []) if 0 < (claim.loss_date - d).days <= 365]
    if len(earlier) >= 2:
        points += WEIGHTS["repeat_many"]
        why.append(_("El tomador tiene %(n)s siniestros más en los 12 meses anteriores") % {"n": len(earlier)})
    elif len(earlier) == 1:
        points += WEIGHTS["repeat_one"]
        why.append(_("El tomador tiene otro siniestro en los 12 meses anteriores"))
    if claim.reserve and claim.paid_total > claim.reserve:
        points += WEIGHTS["over_reserve"]
        why.append(_("Pagado por encima de la reserva"))
    if claim.duplicate_of_id:
        points += WEIGHTS["duplicate"]
        why.append(_("Marcado como posible duplicado"))
    return 1 - math.exp(-points), why


@transaction.atomic
def fraud_score(*, actor, progress=None):
    """Scores every claim and stores a new fraud ModelVersion (rules and line statistics) with its scores."""
    from apps.claims.models import Claim

    progress = progress or (lambda *a, **k: None)
    progress(5, _("Leyendo los siniestros…"))
    claims = list(Claim.objects.select_related("policy").order_by("pk"))
    if not claims:
        raise EngineInputError(_("No hay siniestros que puntuar."))
    stats = _line_stats(claims)
    history = defaultdict(list)
    for claim in claims:
        history[claim.policyholder_id].append(claim.loss_date)
    progress(40, _("Aplicando los indicadores…"))
    scored = []
    for claim in claims:
        value, why = claim_indicators(claim, stats=stats, history=history)
        scored.append((claim, value, why, claim.number))
    flagged = sum(1 for _c, value, _w, _n in scored if value >= 0.5)
    version = model_version_create(
        actor=actor, kind=ModelKind.FRAUD, algorithm="Reglas ponderadas", training_rows=len(claims),
        metrics={"claims": len(claims), "flagged": flagged},
        features=list(WEIGHTS), params={"weights": WEIGHTS, "z_limit": Z_LIMIT,
                                        "line_stats": {str(k): [round(v[0], 2), round(v[1], 2), v[2]]
                                                       for k, v in stats.items()}})
    progress(80, _("Guardando las puntuaciones…"))
    scores_store(actor=actor, version=version, scored=scored)
    return version
