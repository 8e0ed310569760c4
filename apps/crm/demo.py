"""Demo clients for the demo brokerage: ~300 parties with families, companies and their staff,
consents, leads, an open pipeline and this week's activities. Runs once (skips if parties exist)."""
import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.crm.choices import LineOfBusiness, OpportunityStage
from apps.crm.demo_data import people_and_companies
from apps.crm.models import Party

DEMO_PARTIES = 300


def crm_demo_seed(*, admin) -> None:
    from apps.crm.services.activities import activity_create
    from apps.crm.services.consents import consent_grant
    from apps.crm.services.parties import party_create, relation_add
    from apps.crm.services.pipeline import lead_create, opportunity_create, opportunity_move
    from apps.identity.models import User

    if Party.objects.exists():
        return
    rng = random.Random(7)
    sellers = list(User.objects.filter(groups__role__code="comercial")) or [admin]
    parties = []
    for demo in people_and_companies(DEMO_PARTIES):
        party = party_create(
            actor=admin, data={**demo.data, "account_manager": rng.choice(sellers)}, addresses=demo.addresses,
            contacts=demo.contacts, bank_accounts=demo.bank_accounts, tags=demo.tags,
        )
        parties.append(party)
    people = [p for p in parties if p.kind == "person"]
    companies = [p for p in parties if p.kind == "company"]
    for a, b in zip(people[0:60:2], people[1:60:2]):
        relation_add(actor=admin, from_party=a, to_party=b, kind="spouse")
    for child, parent in zip(people[60:80], people[0:20]):
        relation_add(actor=admin, from_party=child, to_party=parent, kind="child")
    for company, person in zip(companies, people[80:]):
        relation_add(actor=admin, from_party=person, to_party=company, kind="administrator")
    now = timezone.now()
    for party in parties:
        if party.status == "client":
            consent_grant(actor=admin, party=party, purpose="contract", channel="in_person",
                          evidence="Firma del contrato de mediación en oficina", granted_at=now - timedelta(days=400))
        if rng.random() < 0.6:
            consent_grant(actor=admin, party=party, purpose="marketing", channel="email",
                          evidence="Casilla marcada en el formulario web", granted_at=now - timedelta(days=rng.randint(1, 300)))
    for i, name in enumerate(["Tomás Herrera Vidal", "Inés Robles Cano", "Clínica Veterinaria Sol, S.L.",
                              "Gonzalo Pastor Ibáñez", "Mercedes Fuentes Lara", "Academia Idiomas Norte, S.L."]):
        lead_create(actor=admin, data={"name": name, "email": f"contacto{i}@ejemplo-demo.es", "phone": f"+34 61{i} 200 300",
                                       "source": rng.choice(["web", "referral", "phone", "event"]),
                                       "owner": rng.choice(sellers)})
    stages = [s for s in OpportunityStage.values if s not in ("won", "lost")]
    for party in rng.sample(parties, 40):
        line = rng.choice(LineOfBusiness.values)
        opportunity = opportunity_create(actor=admin, data={
            "party": party, "title": f"{LineOfBusiness(line).label} — {party.display_name}", "line_of_business": line,
            "expected_premium": Decimal(rng.randint(180, 4500)).quantize(Decimal("0.01")),
            "probability": rng.choice([10, 20, 40, 60, 80]), "close_date": (now + timedelta(days=rng.randint(5, 90))).date(),
            "owner": party.account_manager,
        })
        stage = rng.choice(stages)
        if stage != opportunity.stage:
            opportunity_move(actor=admin, opportunity=opportunity, stage=stage)
    for party in rng.sample(parties, 30):
        activity_create(actor=admin, data={
            "kind": rng.choice(["call", "meeting", "email", "task"]), "subject": f"Revisar coberturas con {party}",
            "due_at": now + timedelta(hours=rng.randint(-48, 24 * 7)), "owner": party.account_manager or admin,
            "party": party,
        })
