"""Demo claims for the demo brokerage (~300, after the insurance and collections demos): every
state of the claims board (reported, in review, accepted, rejected, paid, closed, reopened),
opened on demo policies that covered the loss date with a coverage of the policy that fits the
cause, with reserves and their changes, payments (one beyond its reserve, approved), adjusters,
the insurer's claim numbers, third parties (other drivers, injured people, witnesses) and tasks
(some overdue, the closed claims' ones done). Everything through the claims services (audit
trail, state history, events); a claim a service refuses is skipped.

Runs once: skips when any claim exists. `count` sets the number of claims (tests)."""
import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aitcore.registry import registry
from apps.claims.choices import ClaimCause, ClaimState, PaymentPayee, ThirdPartyRole
from apps.claims.models import Claim
from apps.core.errors import DomainError
from apps.insurance.choices import PolicyState

DEMO_CLAIMS = 300
# final state -> share of the claims; the path each one takes ("$pay": payments before «paid»)
TARGETS = [(ClaimState.REPORTED, 15), (ClaimState.IN_REVIEW, 20), (ClaimState.ACCEPTED, 12),
           (ClaimState.REJECTED, 8), (ClaimState.PAID, 10), (ClaimState.CLOSED, 30), (ClaimState.REOPENED, 5)]
PATHS = {
    ClaimState.REPORTED: [],
    ClaimState.IN_REVIEW: [ClaimState.IN_REVIEW],
    ClaimState.ACCEPTED: [ClaimState.IN_REVIEW, ClaimState.ACCEPTED],
    ClaimState.REJECTED: [ClaimState.IN_REVIEW, ClaimState.REJECTED],
    ClaimState.PAID: [ClaimState.IN_REVIEW, ClaimState.ACCEPTED, "$pay", ClaimState.PAID],
    ClaimState.CLOSED: [ClaimState.IN_REVIEW, ClaimState.ACCEPTED, "$pay", ClaimState.PAID, ClaimState.CLOSED],
    ClaimState.REOPENED: [ClaimState.IN_REVIEW, ClaimState.REJECTED, ClaimState.CLOSED, ClaimState.REOPENED],
}
# cause -> words of the coverage codes that fit it (the lines' coverage codes)
CAUSE_COVERAGES = {
    ClaimCause.COLLISION: ("danos_propios", "rc_voluntaria", "rc_obligatoria"),
    ClaimCause.GLASS: ("lunas", "cristal"),
    ClaimCause.THEFT: ("robo",),
    ClaimCause.FIRE: ("incendio",),
    ClaimCause.WATER: ("agua",),
    ClaimCause.WEATHER: ("atmosf", "fenomeno"),
    ClaimCause.LIABILITY: ("rc", "responsabilidad"),
    ClaimCause.PERSONAL_INJURY: ("accidente", "conductor", "invalidez", "lesion"),
    ClaimCause.ILLNESS: ("hospital", "medic", "consulta", "sanitari", "ambulatori"),
    ClaimCause.DEATH: ("fallec", "muerte", "sepelio", "decesos", "servicio"),
    ClaimCause.ASSISTANCE: ("asistencia",),
    ClaimCause.LEGAL: ("defensa", "juridic"),
}
DESCRIPTIONS = {
    ClaimCause.COLLISION: "Colisión por alcance en una rotonda; el contrario reconoce la culpa en el parte amistoso.",
    ClaimCause.GLASS: "Impacto de piedra en el parabrisas circulando por autovía.",
    ClaimCause.THEFT: "Robo con fuerza: forzaron la cerradura y se llevaron varios objetos.",
    ClaimCause.FIRE: "Incendio en la cocina por una sartén; daños en muebles y techo.",
    ClaimCause.WATER: "Rotura de tubería en el baño; manchas de humedad en el piso inferior.",
    ClaimCause.WEATHER: "Daños en el tejado y el toldo por el temporal de viento.",
    ClaimCause.LIABILITY: "Reclamación de un tercero por daños causados durante la actividad.",
    ClaimCause.PERSONAL_INJURY: "Caída con fractura de muñeca; baja de varias semanas.",
    ClaimCause.ILLNESS: "Ingreso hospitalario programado y pruebas diagnósticas.",
    ClaimCause.DEATH: "Fallecimiento del asegurado; la familia solicita la prestación.",
    ClaimCause.ASSISTANCE: "Avería en carretera: grúa hasta el taller más cercano.",
    ClaimCause.LEGAL: "Reclamación de daños al contrario con asistencia de abogado.",
    ClaimCause.OTHER: "Daños declarados por el cliente pendientes de valorar.",
}
TASKS = ["Solicitar el parte amistoso firmado", "Enviar las fotos de los daños al perito",
         "Reclamar el informe pericial a la compañía", "Llamar al cliente para informar del estado",
         "Pedir presupuesto de reparación", "Revisar la valoración del perito"]
NAMES = ["Andrés Gil Navarro", "Rosa Blanco Ferrer", "Iván Cortés Lozano", "Pilar Vega Sanz", "Óscar Marín Roca",
         "Eva Pascual Ruiz", "Hugo Serrano Mas", "Clara Núñez Bravo"]
OTHER_INSURERS = ["Seguros del Norte", "Línea Directa Aseguradora", "Reale Seguros", "Pelayo Mutua"]


def _targets(count: int) -> list[str]:
    """`count` final states in the TARGETS proportions, interleaved (each state shows early)."""
    done, out = dict.fromkeys((state for state, _w in TARGETS), 0), []
    for k in range(1, count + 1):
        state = max(TARGETS, key=lambda sw: sw[1] * k / 100 - done[sw[0]])[0]
        done[state] += 1
        out.append(state)
    return out


def _fits(coverages: list, cause: str) -> list:
    words = CAUSE_COVERAGES.get(cause, ())
    return [c for c in coverages if any(word in str(c.get("code", "")).lower() for word in words)]


def _policy_window(policy, today: datetime.date):
    last = min(policy.expiry_date, today - datetime.timedelta(days=1))
    if policy.cancellation_date:
        last = min(last, policy.cancellation_date - datetime.timedelta(days=1))
    return policy.start_date, last


def _choose(rng, policies, target: str, today: datetime.date):
    """A policy, loss date, cause and coverage for a claim that should end in `target`."""
    recent = target in (ClaimState.REPORTED, ClaimState.IN_REVIEW, ClaimState.ACCEPTED)
    for _attempt in range(30):
        policy = rng.choice(policies)
        first, last = _policy_window(policy, today)
        if recent:
            first = max(first, today - datetime.timedelta(days=75))
        else:
            last = min(last, today - datetime.timedelta(days=90))
        if last < first:
            continue
        loss = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
        coverages = (policy.current_version.coverages if policy.current_version else []) or []
        causes = [cause for cause in CAUSE_COVERAGES if _fits(coverages, cause)]
        if not coverages:
            continue
        cause = rng.choice(causes) if causes else ClaimCause.OTHER
        coverage = rng.choice(_fits(coverages, cause) or coverages)
        return policy, loss, cause, str(coverage["code"])
    return None


def _third_parties(rng, cause: str) -> list[dict]:
    parties = []
    if cause in (ClaimCause.COLLISION, ClaimCause.LIABILITY):
        parties.append({"role": ThirdPartyRole.OTHER_DRIVER if cause == ClaimCause.COLLISION else ThirdPartyRole.INJURED,
                        "name": rng.choice(NAMES), "phone": f"+34 6{rng.randint(10, 99)} {rng.randint(100, 999)} "
                                                              f"{rng.randint(100, 999)}",
                        "insurer_name": rng.choice(OTHER_INSURERS), "policy_number": f"P{rng.randint(10**7, 10**8)}",
                        "vehicle_plate": f"{rng.randint(1000, 9999)} {''.join(rng.choices('BCDFGHJKLMNPRSTVWXYZ', k=3))}"
                        if cause == ClaimCause.COLLISION else ""})
    if rng.random() < 0.15:
        parties.append({"role": ThirdPartyRole.WITNESS, "name": rng.choice(NAMES),
                        "phone": f"+34 6{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"})
    return parties


def _one(admin, rng, handlers, approver, policies, target: str, today: datetime.date, over_reserve: bool) -> Claim:
    from apps.claims.services.claims import claim_open, claim_transition, claim_update
    from apps.claims.services.payments import claim_payment_add, claim_reserve_set
    from apps.claims.services.work import claim_task_add, claim_task_done

    chosen = _choose(rng, policies, target, today)
    if chosen is None:
        raise LookupError("no policy fits")
    policy, loss, cause, coverage = chosen
    reported = min(loss + datetime.timedelta(days=rng.randint(0, 6)), today)
    reserve = Decimal(rng.choice([300, 450, 600, 900, 1200, 1800, 2500, 4000, 6500]))
    path = PATHS[target] if not (target == ClaimState.CLOSED and rng.random() < 0.15) else [ClaimState.CLOSED]
    claim = claim_open(actor=admin, policy=policy, loss_date=loss, reported_date=reported, cause=cause,
                       coverage_code=coverage, description=DESCRIPTIONS[cause], location=policy.risk_summary[:120],
                       insurer_claim_number=f"{policy.insurer.dgsfp_code or 'S'}-{rng.randint(10**6, 10**7)}"
                       if path else "", third_parties=_third_parties(rng, cause), handler=rng.choice(handlers),
                       reserve=reserve if path else 0, today=reported)
    day = reported
    step = max(1, min(20, (today - reported).days // (len(path) + 2)))
    tasks = []
    if target != ClaimState.REJECTED:
        tasks.append(claim_task_add(actor=admin, claim=claim, title=rng.choice(TASKS),
                                    due_date=reported + datetime.timedelta(days=rng.randint(3, 25))))
    for state in path:
        day = min(day + datetime.timedelta(days=rng.randint(1, step)), today)
        if state == "$pay":
            amount = (reserve * Decimal(rng.choice(["0.6", "0.75", "0.9", "1"]))).quantize(Decimal("0.01"))
            payee = PaymentPayee.REPAIRER if cause in (ClaimCause.COLLISION, ClaimCause.GLASS, ClaimCause.WATER) \
                else PaymentPayee.POLICYHOLDER
            if over_reserve:  # the repair cost more than reserved: approved by Dirección
                amount = reserve + Decimal("150.00")
            claim_payment_add(actor=admin, claim=claim, amount=amount, date=day, payee=payee,
                              payee_name="Talleres Levante, S.L." if payee == PaymentPayee.REPAIRER else str(
                                  policy.policyholder), concept=f"Indemnización del siniestro {claim.number}",
                              approved_by=approver if over_reserve else None)
            continue
        if state == ClaimState.IN_REVIEW:
            claim_update(actor=admin, claim=claim, data={
                "adjuster_name": rng.choice(NAMES), "adjuster_phone": f"+34 96{rng.randint(1, 9)} {rng.randint(100, 999)} "
                                                                      f"{rng.randint(100, 999)}"})
        if state == ClaimState.ACCEPTED and rng.random() < 0.4:
            claim_reserve_set(actor=admin, claim=claim, amount=reserve * Decimal("1.2"), date=day,
                              reason="Ajuste de la reserva tras el informe pericial.")
            reserve = reserve * Decimal("1.2")
        if state == ClaimState.CLOSED:
            for task in tasks:
                claim_task_done(actor=admin, task=task, notes="Hecho antes del cierre.")
        reason = {ClaimState.REJECTED: "La causa del siniestro está excluida en las condiciones de la póliza.",
                  ClaimState.CLOSED: "Expediente terminado." if path != [ClaimState.CLOSED]
                  else "El cliente retira la declaración.",
                  ClaimState.REOPENED: "El cliente aporta nueva documentación."}.get(state, "")
        claim = claim_transition(actor=admin, claim=claim, to_state=state, reason=reason, today=day)
    if target in (ClaimState.IN_REVIEW, ClaimState.ACCEPTED, ClaimState.REOPENED) and rng.random() < 0.5:
        claim_task_add(actor=admin, claim=claim, title=rng.choice(TASKS),
                       due_date=today + datetime.timedelta(days=rng.randint(-8, 20)))
    return claim


def claims_demo_seed(*, admin, count: int = DEMO_CLAIMS, today: datetime.date | None = None) -> dict:
    """The demo claims (see the module doc). Returns {"made": n, "skipped": n}."""
    from apps.identity.models import User
    from apps.insurance.models import Policy

    if Claim.objects.exists():
        return {"made": 0, "skipped": 0}
    today = today or timezone.localdate()
    rng = random.Random(2026_4)
    policies = list(Policy.objects.filter(state__in=(PolicyState.IN_FORCE, PolicyState.EXPIRED, PolicyState.RENEWED,
                                                     PolicyState.CANCELLED), current_version__isnull=False)
                    .select_related("current_version", "insurer", "policyholder").order_by("pk"))
    if not policies:
        return {"made": 0, "skipped": 0}
    handlers = list(User.objects.filter(groups__role__code="siniestros", is_active=True)) * 3 or [admin]
    handlers += list(User.objects.filter(groups__role__code="comercial", is_active=True)) + [admin]
    targets = _targets(count)
    made = skipped = 0
    over_reserve_done = False
    for n in range(count):
        target = targets[n]
        over = target == ClaimState.PAID and not over_reserve_done
        try:
            with transaction.atomic():
                _one(admin, rng, handlers, admin, policies, target, today, over_reserve=over)
            made += 1
            over_reserve_done = over_reserve_done or over
        except (DomainError, ValidationError, LookupError):
            skipped += 1
    return {"made": made, "skipped": skipped}


registry.register_demo_seeder(claims_demo_seed)
