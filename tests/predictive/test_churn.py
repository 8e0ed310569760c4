"""Renewal churn: trained per brokerage on its past renewals, validated on the latest renewals against a
constant baseline, versioned, and scoring the policies in force with reasons."""
import pytest

from apps.audit.models import AuditEvent
from apps.insurance.models import Policy
from apps.predictive.choices import ModelKind
from apps.predictive.engines import compute_churn
from apps.predictive.errors import EngineInputError
from apps.predictive.models import ModelVersion, Score
from apps.predictive.services.churn import MIN_ROWS, churn_score, churn_train
from apps.predictive.services.versions import load_model


def test_churn_model_beats_a_constant_baseline_on_held_out_renewals(renewal_history, admin_a):
    version = churn_train(actor=admin_a)
    m = version.metrics
    assert m["split"] == "temporal"  # the latest quarter of the renewals is the held-out set
    assert m["test_rows"] == 60 and m["train_rows"] == 180
    assert m["auc"] > 0.65 > m["baseline_auc"]
    assert m["brier"] < m["baseline_brier"]
    assert version.kind == ModelKind.CHURN and version.version == 1 and version.training_rows == 240
    assert "premium_change" in version.features and "line_autos" in version.features
    assert AuditEvent.objects.filter(verb="model_trained", object_id=str(version.pk)).exists()
    # the fitted model is stored (joblib bytes) and reloads
    model = load_model(ModelVersion.objects.get(pk=version.pk))
    assert model.predict_proba([[0.0] * len(version.features)]).shape == (1, 2)


def test_scores_of_the_policies_in_force_with_reasons(renewal_history, admin_a):
    version = churn_train(actor=admin_a)
    assert churn_score(actor=admin_a, version=version) == 30
    scores = Score.objects.filter(model_version=version)
    assert set(scores.values_list("object_id", flat=True)) == {p.pk for p in renewal_history["in_force"]}
    assert all(0 <= s.score <= 1 for s in scores)
    # no tacit renewal and monthly payment: riskier than tacit renewal paid yearly
    risky = scores.get(object_id=renewal_history["in_force"][3].pk)  # n=3: no tacit, monthly
    safe = scores.get(object_id=renewal_history["in_force"][4].pk)  # n=4: tacit, annual
    assert risky.score > safe.score
    assert "Sin renovación tácita" in risky.reasons and "Pago mensual" in risky.reasons


def test_retraining_adds_a_version_and_keeps_one_active(renewal_history, admin_a):
    first = churn_train(actor=admin_a)
    second = churn_train(actor=admin_a)
    assert second.version == first.version + 1
    assert list(ModelVersion.objects.filter(kind="churn", is_active=True)) == [second]


def test_too_few_renewals_says_how_many_are_needed(products, admin_a):
    with pytest.raises(EngineInputError, match=f"Hay 0 renovaciones decididas.*al menos {MIN_ROWS}"):
        churn_train(actor=admin_a)
    assert not ModelVersion.objects.exists()


def test_churn_engine_result(renewal_history, admin_a):
    steps = []
    result = compute_churn(params={"score": True}, progress=lambda pct, message="": steps.append(pct),
                           actor=admin_a)
    assert steps == sorted(steps) and steps[-1] >= 70
    labels = [card["label"] for card in result["summary"]]
    assert "AUC (constante 0,5)" in labels and "Registros puntuados" in labels
    assert result["charts"][0]["key"] == "validation"
    top = result["tables"][0]["rows"]
    assert len(top) == 25 and top[0][0] in set(Policy.objects.values_list("number", flat=True))
    assert not result["messages"]
