"""Statistical engines: descriptive statistics, decomposition and a forecast whose intervals widen with
the horizon; bad input (non-numeric values, too little data, a date range with no data) says why in
Spanish."""
import json

import numpy as np
import pandas as pd
import pytest
from django.core.serializers.json import DjangoJSONEncoder

from apps.engines.forms_statistics import DescribeForm, ForecastForm
from apps.engines.services import statistics
from apps.predictive.errors import EngineInputError, no_progress


def _seasonal(months: int = 48, seed: int = 0) -> pd.Series:
    """Production growing 10 €/month with a yearly wave of ±100 € peaking in April, and noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    values = 1000 + 10 * t + 100 * np.sin((t - 0) * 2 * np.pi / 12 + np.pi / 2 - 3 * 2 * np.pi / 12) + rng.normal(
        0, 15, months)
    return pd.Series(values, index=pd.date_range("2022-01-01", periods=months, freq="MS"), name="production")


def test_describe_known_values():
    result = statistics.describe_values(list(range(1, 11)), percentiles=[10, 90], bins=3)
    data = result["data"]
    assert data["n"] == 10 and data["mean"] == 5.5 and data["median"] == 5.5
    assert data["std"] == pytest.approx(3.0277, abs=1e-4)  # sample standard deviation
    assert (data["q1"], data["q3"]) == (3.25, 7.75)
    assert data["percentiles"] == {"10": pytest.approx(1.9), "90": pytest.approx(9.1)}
    assert data["histogram"]["counts"] == [3, 3, 4]  # [1, 4), [4, 7), [7, 10]
    assert result["summary"][1]["value"] == "5,50 €"
    assert result["charts"][0]["type"] == "bar"
    json.dumps(result)


def test_describe_refuses_non_numeric_values_and_too_few():
    with pytest.raises(EngineInputError, match="no es numérica"):
        statistics.describe_values(["12,5", "abc"])
    with pytest.raises(EngineInputError, match="al menos 3"):
        statistics.describe_values([1, 2])


def test_describe_a_date_range_with_no_data(admin_a):
    form = DescribeForm(data={"source": "claim.reserve", "date_from": "1990-01-01", "date_to": "1990-12-31",
                              "percentiles": "5; 95", "bins": 10})
    assert form.is_valid(), form.errors
    params = json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))
    assert params["percentiles"] == [5.0, 95.0]
    with pytest.raises(EngineInputError, match="No hay datos"):
        statistics.compute_describe(params=params, progress=no_progress, actor=admin_a)


def test_a_field_outside_the_whitelist_or_the_role_is_refused(admin_a, users_a):
    with pytest.raises(EngineInputError, match="no está entre"):
        statistics.compute_describe(params={"source": "hr.salary"}, progress=no_progress, actor=admin_a)
    with pytest.raises(EngineInputError, match="no permite"):
        statistics.compute_describe(params={"source": "entry.total"}, progress=no_progress,
                                    actor=users_a["rrhh"])


def test_decomposition_finds_trend_and_season():
    result = statistics.decompose_series(_seasonal())
    data = result["data"]
    assert data["slope"] == pytest.approx(10, abs=2)
    assert data["seasonal_strength"] > 0.8
    assert max(data["seasonal_profile"], key=data["seasonal_profile"].get) == 4  # April
    classical = statistics.decompose_series(_seasonal(), method="classical")
    assert max(classical["data"]["seasonal_profile"], key=classical["data"]["seasonal_profile"].get) == 4
    with pytest.raises(EngineInputError, match="al menos 24"):
        statistics.decompose_series(_seasonal(18))


@pytest.mark.parametrize("method", ["ets", "sarimax"])
def test_forecast_has_intervals_that_widen_with_the_horizon(method):
    result = statistics.forecast_series(_seasonal(), horizon=12, method=method)
    data = result["data"]
    assert len(data["mean"]) == 12 and data["months"][0] == "01/2026"
    for lo95, lo80, mean, hi80, hi95 in zip(data["lower95"], data["lower80"], data["mean"], data["upper80"],
                                            data["upper95"]):
        assert lo95 < lo80 < mean < hi80 < hi95
    widths = data["width95"]
    assert all(b >= a - 1e-6 for a, b in zip(widths, widths[1:]))
    assert widths[-1] > widths[0]
    # the trend goes on: next year's forecast is above this year's level
    assert sum(data["mean"]) > 12 * 1400
    assert [c["title"] for c in result["charts"]] == ["Histórico y previsión"]


def test_forecast_needs_a_year_of_data():
    with pytest.raises(EngineInputError, match="al menos 12"):
        statistics.forecast_series(_seasonal(8))
    short = statistics.forecast_series(_seasonal(15), horizon=6)
    assert short["messages"]  # no seasonality with less than two years


def test_forecast_form_and_engine_with_no_data(admin_a):
    form = ForecastForm(data={"series": "claims_count", "method": "ets", "horizon": 12,
                              "date_from": "1990-01-01", "date_to": "1990-12-31"})
    assert form.is_valid(), form.errors
    params = json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))
    with pytest.raises(EngineInputError, match="No hay datos"):
        statistics.compute_forecast(params=params, progress=no_progress, actor=admin_a)


@pytest.fixture
def monthly_policies(tenant_a, admin_a):
    """One car policy starting on the 10th of every month from 01/2024 to 12/2025, net premium 100 € in
    January growing 10 € a month, +50 € every June (30 policies in all: 6 more in June 2025)."""
    import datetime
    from decimal import Decimal

    from tests.fixtures.insurance import make_product
    from tests.predictive.conftest import _party, _policy

    product = make_product("autos")
    party = _party(900)
    n = 0
    for i in range(24):
        start = datetime.date(2024 + i // 12, i % 12 + 1, 10)
        premium = Decimal(100 + 10 * i + (50 if i % 12 == 5 else 0))
        for _copy in range(7 if i == 17 else 1):
            n += 1
            _policy(n, product, party, start=start, state="in_force", premium=premium)
    return n


def test_describe_and_forecast_read_the_brokerage_data(monthly_policies, admin_a, users_a):
    params = {"source": "policy.net_premium", "date_from": "2024-01-01", "date_to": "2025-12-31",
              "percentiles": [50], "bins": 5}
    result = statistics.compute_describe(params=params, progress=no_progress, actor=admin_a)
    assert result["data"]["n"] == 30
    assert result["data"]["min"] == 100 and result["data"]["max"] == 100 + 10 * 23
    series = statistics.monthly_series("production", admin_a)
    assert len(series) == 24 and series.iloc[0] == 100 and series.iloc[17] == 7 * 320
    forecast = statistics.compute_forecast(params={"series": "production", "horizon": 12, "method": "ets"},
                                           progress=no_progress, actor=admin_a)
    assert len(forecast["data"]["mean"]) == 12 and forecast["data"]["months"][0] == "01/2026"
    # the Comercial sees only its clients' policies: none of these (no account manager)
    with pytest.raises(EngineInputError, match="No hay datos"):
        statistics.compute_describe(params=params, progress=no_progress, actor=users_a["comercial"])
