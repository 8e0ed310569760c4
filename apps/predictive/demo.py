"""Demo: trains the churn model once on the demo brokerage's past renewals and scores its policies in force,
then scores the claims (fraud indicators) and the journal (anomalies). Runs after the insurance, claims,
collections and accounting seeders (app order); skips what exists and kinds without enough data."""
from aitcore.registry import registry
from apps.core.errors import DomainError
from apps.predictive.choices import ModelKind
from apps.predictive.models import ModelVersion


def predictive_demo_seed(*, admin) -> dict:
    from apps.predictive.services.anomalies import anomalies_detect
    from apps.predictive.services.churn import churn_score, churn_train
    from apps.predictive.services.fraud import fraud_score

    done = {}
    steps = {ModelKind.CHURN: lambda: churn_score(actor=admin, version=churn_train(actor=admin)),
             ModelKind.FRAUD: lambda: fraud_score(actor=admin),
             ModelKind.ANOMALY: lambda: anomalies_detect(actor=admin)}
    for kind, step in steps.items():
        if ModelVersion.objects.filter(kind=kind).exists():
            continue
        try:
            step()
        except DomainError as exc:  # too little data in this brokerage: the page says how much is needed
            done[kind] = exc.message
        else:
            done[kind] = "ok"
    return done


registry.register_demo_seeder(predictive_demo_seed)
