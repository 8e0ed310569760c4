"""Renewal churn: the chance that a policy in force is not renewed at its expiry, learnt per brokerage from
its past renewals (policies that reached expiry and were renewed or lapsed, and the decided renewal
proposals of apps.insurance).

Features as of the expiry: premium change proposed for the renewal, annual premium, number of earlier
terms, tacit renewal, payment frequency and method, returned receipts, claims, the client's other policies
and the line. A scaled logistic regression (scikit-learn) is validated on the latest quarter of the
renewals in time (time-aware split; stratified when that quarter has one class only) against a constant
baseline (the training churn rate): AUC and Brier score of both are kept in the ModelVersion."""
import math

import numpy as np
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from apps.predictive.choices import ModelKind
from apps.predictive.errors import EngineInputError
from apps.predictive.services.versions import load_model, model_version_create, scores_store

MIN_ROWS = 50
MIN_PER_CLASS = 10
HOLDOUT_SHARE = 0.25
BASE_FEATURES = ["premium_change", "log_premium", "tenure", "tacit_renewal", "freq_monthly", "freq_quarterly",
                 "freq_semiannual", "method_insurer", "method_other", "returned_receipts", "claims",
                 "holder_policies"]


def _subcount(model_qs, field="policy"):
    return Coalesce(Subquery(model_qs.filter(**{field: OuterRef("pk")}).order_by().values(field)
                             .annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0))


def _annotated(queryset):
    from apps.claims.models import Claim
    from apps.collections.models import Receipt

    return queryset.annotate(returned=_subcount(Receipt.objects.filter(returned_on__isnull=False)),
                             claim_count=_subcount(Claim.objects.all()))


def _context():
    """Tenure (earlier terms) and number of policies per client, read once."""
    from apps.insurance.models import Policy

    parent = dict(Policy.objects.exclude(state="draft").values_list("pk", "renewal_of_id"))
    holders = dict(Policy.objects.exclude(state="draft").values("policyholder_id").annotate(n=Count("pk"))
                   .values_list("policyholder_id", "n"))
    return parent, holders


def _tenure(pk, parent) -> int:
    n, seen = 0, {pk}
    while parent.get(pk) and parent[pk] not in seen:
        pk = parent[pk]
        seen.add(pk)
        n += 1
    return n


def _row(policy, premium_change: float, parent, holders, lines: list[str]) -> list[float]:
    freq, method = policy.payment_frequency, policy.payment_method
    base = [premium_change, math.log1p(float(policy.net_premium or 0)), _tenure(policy.pk, parent),
            1.0 if policy.tacit_renewal else 0.0, freq == "monthly", freq == "quarterly", freq == "semiannual",
            method == "insurer", method == "broker_other", policy.returned, policy.claim_count,
            holders.get(policy.policyholder_id, 1)]
    return [float(v) for v in base] + [1.0 if policy.line.code == code else 0.0 for code in lines]


def _change(current, proposed) -> float:
    current, proposed = float(current or 0), float(proposed or 0)
    return (proposed / current - 1) if current > 0 and proposed > 0 else 0.0


def training_set():
    """(X, y, dates, feature names) of the decided renewals."""
    from apps.insurance.models import Policy, RenewalProposal

    decided = {p.policy_id: p for p in RenewalProposal.objects.exclude(state="pending")}
    policies = list(_annotated(Policy.objects.filter(Q(state__in=["renewed", "expired"]) | Q(pk__in=list(decided))))
                    .select_related("line").order_by("expiry_date", "pk"))
    parent, holders = _context()
    lines = sorted({p.line.code for p in policies})
    rows, labels, dates = [], [], []
    for policy in policies:
        proposal = decided.get(policy.pk)
        if proposal is not None:
            label = 1 if proposal.state == "not_renewed" else 0
            change = _change(proposal.current_net_premium, proposal.proposed_net_premium)
        else:
            label, change = (1 if policy.state == "expired" else 0), 0.0
        rows.append(_row(policy, change, parent, holders, lines))
        labels.append(label)
        dates.append(policy.expiry_date)
    features = BASE_FEATURES + [f"line_{code}" for code in lines]
    return np.asarray(rows, dtype=float).reshape(len(rows), len(features)), np.asarray(labels), dates, features


def _split(y, dates):
    """Time-aware: the latest quarter of the renewals is held out; stratified when that leaves one class."""
    n = len(y)
    cut = int(n * (1 - HOLDOUT_SHARE))
    train, test = np.arange(cut), np.arange(cut, n)
    if len(set(y[train])) == 2 and len(set(y[test])) == 2:
        return train, test, "temporal"
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(np.arange(n), test_size=HOLDOUT_SHARE, stratify=y, random_state=0)
    return train, test, "stratified"


def _pipeline():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))


def evaluate(X, y, dates) -> dict:
    from sklearn.metrics import brier_score_loss, roc_auc_score

    train, test, how = _split(y, dates)
    model = _pipeline().fit(X[train], y[train])
    p = model.predict_proba(X[test])[:, 1]
    constant = np.full(len(test), y[train].mean())
    return {"auc": round(float(roc_auc_score(y[test], p)), 4), "brier": round(float(brier_score_loss(y[test], p)), 4),
            "baseline_auc": 0.5, "baseline_brier": round(float(brier_score_loss(y[test], constant)), 4),
            "train_rows": int(len(train)), "test_rows": int(len(test)), "split": how,
            "churn_rate": round(float(y.mean()), 4)}


def _check(y) -> None:
    positives, n = int(y.sum()), len(y)
    if n < MIN_ROWS or positives < MIN_PER_CLASS or n - positives < MIN_PER_CLASS:
        raise EngineInputError(_(
            "Hay %(n)s renovaciones decididas (%(churn)s no renovadas): el modelo necesita al menos %(min)s, con "
            "%(per)s renovadas y %(per)s no renovadas como mínimo.")
            % {"n": n, "churn": positives, "min": MIN_ROWS, "per": MIN_PER_CLASS})


REASONS = {
    "premium_change": lambda v: _("Subida de prima del %(p)s %%") % {"p": f"{v * 100:.1f}".replace(".", ",")},
    "log_premium": lambda v: _("Prima alta"),
    "tenure": lambda v: _("Pocas renovaciones previas (%(n)s)") % {"n": int(v)},
    "tacit_renewal": lambda v: _("Sin renovación tácita") if v < 0.5 else _("Renovación tácita"),
    "freq_monthly": lambda v: _("Pago mensual"),
    "freq_quarterly": lambda v: _("Pago trimestral"),
    "freq_semiannual": lambda v: _("Pago semestral"),
    "method_insurer": lambda v: _("Cobra la compañía"),
    "method_other": lambda v: _("Pago por transferencia o caja"),
    "returned_receipts": lambda v: _("%(n)s recibo(s) devuelto(s)") % {"n": int(v)},
    "claims": lambda v: _("%(n)s siniestro(s)") % {"n": int(v)},
    "holder_policies": lambda v: _("El cliente tiene %(n)s póliza(s)") % {"n": int(v)},
}


def explain(model, x, features, top: int = 3) -> list[str]:
    """The features that push this policy's churn up the most (coefficient × standardised value)."""
    scaler, logistic = model[0], model[-1]
    contributions = logistic.coef_[0] * (x - scaler.mean_) / np.where(scaler.scale_ == 0, 1, scaler.scale_)
    reasons = []
    for j in np.argsort(-contributions)[:top]:
        if contributions[j] <= 0.05:
            break
        name = features[j]
        reasons.append(_("Ramo %(line)s") % {"line": name[5:]} if name.startswith("line_")
                       else REASONS[name](x[j]))
    return reasons


def current_policies():
    """Policies in force with their pending renewal proposal's premium change (if any)."""
    from apps.insurance.models import Policy, RenewalProposal

    pending = {p.policy_id: _change(p.current_net_premium, p.proposed_net_premium)
               for p in RenewalProposal.objects.filter(state="pending")}
    policies = list(_annotated(Policy.objects.filter(state__in=["in_force", "suspended"]))
                    .select_related("line").order_by("pk"))
    return policies, pending


@transaction.atomic
def churn_train(*, actor, progress=None):
    """Trains, validates and stores a new churn ModelVersion; returns it."""
    progress = progress or (lambda *a, **k: None)
    progress(5, _("Leyendo las renovaciones pasadas…"))
    X, y, dates, features = training_set()
    _check(y)
    progress(40, _("Validando con las renovaciones más recientes…"))
    metrics = evaluate(X, y, dates)
    progress(60, _("Ajustando el modelo con todas las renovaciones…"))
    model = _pipeline().fit(X, y)
    return model_version_create(actor=actor, kind=ModelKind.CHURN, algorithm="LogisticRegression (scikit-learn)",
                                metrics=metrics, features=features, params={"C": 1.0, "min_rows": MIN_ROWS},
                                fitted=model, training_rows=len(y))


@transaction.atomic
def churn_score(*, actor, version, progress=None) -> int:
    progress = progress or (lambda *a, **k: None)
    progress(70, _("Puntuando las pólizas en vigor…"))
    model, features = load_model(version), version.features
    lines = [f[5:] for f in features if f.startswith("line_")]
    policies, pending = current_policies()
    if not policies:
        return scores_store(actor=actor, version=version, scored=[])
    parent, holders = _context()
    X = np.asarray([_row(p, pending.get(p.pk, 0.0), parent, holders, lines) for p in policies], dtype=float)
    probabilities = model.predict_proba(X)[:, 1]
    scored = [(p, prob, explain(model, x, features), p.number) for p, prob, x in zip(policies, probabilities, X)]
    return scores_store(actor=actor, version=version, scored=scored)
