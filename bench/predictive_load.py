"""Statistics, finance and ML engines (T2): wall time of the compute cores on synthetic data of a large
brokerage, no database (the reads are the engine framework's and the selectors' business):
  a) churn: fit + time-aware validation of the logistic model on `renewals` renewals x 14 features, and
     scoring `policies` policies;
  b) anomalies: features (robust z per account, account pairs, night/weekend) + IsolationForest on
     `entries` journal entries of 3 lines;
  c) forecast: ETS and SARIMAX 12 months ahead on 60 months; STL decomposition;
  d) VaR/CVaR historical and parametric of 250.000 returns x 5 assets; French schedule of 360 months.
Run: .venv/bin/python -m bench.predictive_load [--renewals N --policies N --entries N]"""
from __future__ import annotations

import argparse
import datetime
import random
import time
from decimal import Decimal


def _timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t0


def bench_churn(renewals: int, policies: int) -> dict:
    import numpy as np

    from apps.predictive.services.churn import _pipeline, evaluate

    rng = np.random.default_rng(1)
    X = rng.normal(size=(renewals, 14))
    logit = -1 + 1.5 * X[:, 0] - 1.0 * X[:, 3] + 0.5 * X[:, 4]
    y = (rng.random(renewals) < 1 / (1 + np.exp(-logit))).astype(int)
    metrics, t_eval = _timed(lambda: evaluate(X, y, list(range(renewals))))
    model, t_fit = _timed(lambda: _pipeline().fit(X, y))
    _, t_score = _timed(lambda: model.predict_proba(rng.normal(size=(policies, 14))))
    return {"renewals": renewals, "policies": policies, "validate_s": t_eval, "fit_s": t_fit, "score_s": t_score,
            "auc": metrics["auc"], "brier": metrics["brier"], "baseline_brier": metrics["baseline_brier"]}


def bench_anomalies(entries: int) -> dict:
    from zoneinfo import ZoneInfo

    from apps.predictive.services.anomalies import anomaly_scores, entry_features

    rng = random.Random(2)
    madrid = ZoneInfo("Europe/Madrid")
    rows, lines = [], []
    accounts = [(1, "572"), (2, "4300"), (3, "705"), (4, "477"), (5, "629"), (6, "400")]
    for i in range(entries):
        amount = Decimal(f"{rng.uniform(50, 2000):.2f}")
        posted = datetime.datetime(2026, 1 + i % 12, 1 + i % 28, rng.randint(8, 19), 0, tzinfo=madrid)
        rows.append({"id": i, "total": amount, "posted_at": posted})
        debit, credit = rng.sample(accounts[:4] if i % 7 else accounts, 2)
        lines.append({"entry_id": i, "account_id": debit[0], "account__code": debit[1], "debit": amount,
                      "credit": Decimal(0)})
        lines.append({"entry_id": i, "account_id": credit[0], "account__code": credit[1], "debit": Decimal(0),
                      "credit": amount})
    (X, reasons), t_features = _timed(lambda: entry_features(rows, lines))
    _, t_forest = _timed(lambda: anomaly_scores(X, reasons))
    return {"entries": entries, "features_s": t_features, "forest_s": t_forest}


def bench_series() -> dict:
    import numpy as np
    import pandas as pd

    from apps.engines.services.statistics import decompose_series, forecast_series

    t = np.arange(60)
    series = pd.Series(1000 + 10 * t + 100 * np.sin(t * 2 * np.pi / 12) + np.random.default_rng(3).normal(0, 15, 60),
                       index=pd.date_range("2021-01-01", periods=60, freq="MS"))
    _, t_stl = _timed(lambda: decompose_series(series))
    _, t_ets = _timed(lambda: forecast_series(series, method="ets"))
    _, t_sarimax = _timed(lambda: forecast_series(series, method="sarimax"))
    return {"stl_s": t_stl, "ets_s": t_ets, "sarimax_s": t_sarimax}


def bench_finance() -> dict:
    import numpy as np

    from apps.engines.services.financial import french_schedule, portfolio_returns, value_at_risk

    matrix = np.random.default_rng(4).normal(0.0003, 0.012, size=(250_000, 5))
    _, t_var = _timed(lambda: value_at_risk(portfolio_returns(matrix, [0.2] * 5), confidences=[0.95, 0.99]))
    _, t_french = _timed(lambda: french_schedule(Decimal("250000"), Decimal("3.5"), 360))
    return {"var_250k_s": t_var, "french_360_s": t_french}


def bench_predictive(*, renewals: int = 100_000, policies: int = 100_000, entries: int = 50_000) -> dict:
    from bench.common import error_text

    started = time.perf_counter()
    result = {"errors": {}}
    for key, run in (("churn", lambda: bench_churn(renewals, policies)), ("anomalies", lambda: bench_anomalies(entries)),
                     ("series", bench_series), ("finance", bench_finance)):
        try:
            result[key] = run()
        except Exception as exc:  # noqa: BLE001 - the other parts still run
            result["errors"][key] = error_text(exc)
    result["wall_s"] = time.perf_counter() - started
    return result


def predictive_report(data: dict | None, why: str = "") -> None:
    from bench.common import say, section_ran

    if not section_ran(data, "Statistics, finance and ML engines", why):
        return
    say(f"Statistics, finance and ML engines (compute cores, synthetic data; whole figure {data['wall_s']:.0f} s)")
    churn, anomalies, series, finance = (data.get(k) for k in ("churn", "anomalies", "series", "finance"))
    if churn:
        say(f"   churn: validate {churn['validate_s']:.2f} s, fit {churn['fit_s']:.2f} s on {churn['renewals']} "
            f"renewals; score {churn['policies']} policies {churn['score_s']:.2f} s (AUC {churn['auc']}, "
            f"Brier {churn['brier']} vs constant {churn['baseline_brier']})")
    if anomalies:
        say(f"   anomalies: {anomalies['entries']} entries, features {anomalies['features_s']:.2f} s, "
            f"IsolationForest {anomalies['forest_s']:.2f} s")
    if series:
        say(f"   series (60 months): STL {series['stl_s']:.2f} s, ETS {series['ets_s']:.2f} s, "
            f"SARIMAX {series['sarimax_s']:.2f} s")
    if finance:
        say(f"   finance: VaR/CVaR of 250.000 x 5 returns {finance['var_250k_s']:.2f} s, "
            f"French schedule of 360 months {finance['french_360_s'] * 1000:.1f} ms")
    for key, error in (data.get("errors") or {}).items():
        say(f"   {key} FAILED: {error}")


def main(argv=None) -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--renewals", type=int, default=100_000)
    parser.add_argument("--policies", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=50_000)
    args = parser.parse_args(argv)
    django.setup()
    predictive_report(bench_predictive(renewals=args.renewals, policies=args.policies, entries=args.entries))


if __name__ == "__main__":
    main()
