"""The demo seeder trains churn once and scores the policies in force (and says why a kind without enough
data was skipped); on the insurance demo book (the demo seeder used by the tests, reduced) the churn model
beats the constant baseline on held-out renewals."""
import datetime

from aitcore.registry import registry
from apps.insurance.demo import insurance_demo_seed
from apps.predictive.demo import predictive_demo_seed
from apps.predictive.models import ModelVersion, Score
from apps.predictive.services.churn import churn_train

TODAY = datetime.date(2026, 12, 4)


def test_seeder_is_registered():
    assert predictive_demo_seed in registry.demo_seeders


def test_seeder_trains_churn_once_and_scores_the_policies_in_force(renewal_history, admin_a):
    done = predictive_demo_seed(admin=admin_a)
    assert done["churn"] == "ok"
    assert "No hay siniestros" in done["fraud"] and "No hay asientos" in done["anomaly"]
    assert Score.objects.filter(kind="churn").count() == 30
    assert predictive_demo_seed(admin=admin_a) == {"fraud": done["fraud"], "anomaly": done["anomaly"]}
    assert ModelVersion.objects.filter(kind="churn").count() == 1


def test_churn_beats_the_baseline_on_the_insurance_demo_book(tenant_a, admin_a):
    from apps.crm.models import Party

    for i in range(40):
        Party.objects.create(display_name=f"Cliente Demo {i}", kind="person", tax_id=f"{30000000 + i}",
                             first_name="Cliente", last_name=f"Demo {i}", status="client")
    insurance_demo_seed(admin=admin_a, policies=400, quotes=0, today=TODAY)
    m = churn_train(actor=admin_a).metrics
    assert m["train_rows"] + m["test_rows"] >= 50
    assert m["auc"] > m["baseline_auc"] and m["brier"] < m["baseline_brier"]
