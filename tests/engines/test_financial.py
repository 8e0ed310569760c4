"""Financial engines with numbers checked by hand: VaR/CVaR (historical on a 20-return series, parametric
on a normal with known μ and σ), NPV/IRR of known cash flows and a French amortisation table."""
import json
from decimal import Decimal

import numpy as np
import pytest
from django.core.serializers.json import DjangoJSONEncoder

from apps.engines.forms_financial import AmortizationForm, NpvIrrForm, VarForm
from apps.engines.services import financial
from apps.predictive.errors import EngineInputError, no_progress

# 20 returns: -10 %, -9 %, …, +9 %
TWENTY = [i / 100 for i in range(-10, 10)]


def test_historical_var_on_a_hand_checkable_series():
    # 95 %: k = ceil(20 · 0,05) = 1 -> the worst return, -10 %; CVaR = the mean of that one
    assert financial.historical_var(TWENTY, 0.95) == pytest.approx((0.10, 0.10))
    # 90 %: k = 2 -> the second worst (-9 %); CVaR = mean of -10 % and -9 % = 9,5 %
    assert financial.historical_var(TWENTY, 0.90) == pytest.approx((0.09, 0.095))
    # 80 %: k = 4 -> -7 %; CVaR = (10 + 9 + 8 + 7) / 4 = 8,5 %
    assert financial.historical_var(TWENTY, 0.80) == pytest.approx((0.07, 0.085))


def test_parametric_var_of_a_known_normal():
    # μ = 0,1 %, σ = 2 %: VaR95 = 1,644854·2 % - 0,1 % = 3,18971 %; CVaR95 = φ(1,644854)/0,05·2 % - 0,1 %
    var, cvar = financial.parametric_var(0.001, 0.02, 0.95)
    assert var == pytest.approx(0.0318971, abs=1e-7)
    assert cvar == pytest.approx(0.02 * 0.10313564 / 0.05 - 0.001, abs=1e-7)  # 4,02543 %
    var99, _ = financial.parametric_var(0.0, 0.01, 0.99)
    assert var99 == pytest.approx(0.0232635, abs=1e-7)


def test_historical_and_parametric_agree_on_a_large_normal_sample():
    returns = np.random.default_rng(7).normal(0.001, 0.02, 20_000)
    result = financial.value_at_risk(returns, confidences=[0.95], value=Decimal("1000000"))
    m = result["data"]["measures"]["0.95"]
    assert m["historical_var"] == pytest.approx(0.0319, abs=0.0015)
    assert m["parametric_var"] == pytest.approx(0.0319, abs=0.0010)
    assert m["historical_cvar"] > m["historical_var"]
    assert result["tables"][0]["rows"][0][0] == "95 %"
    assert result["tables"][0]["rows"][0][5].endswith(" €")  # VaR in euros of the 1.000.000 € portfolio
    json.dumps(result)


def test_var_engine_from_a_csv_with_weights():
    csv_text = "RV;RF\n" + "\n".join(f"{a:.4f};{b:.4f}".replace(".", ",") for a, b in
                                     zip(TWENTY, reversed(TWENTY)))
    form = VarForm(data={"returns_csv": csv_text, "weights": "0,5; 0,5", "confidences": ["0.95"]})
    assert form.is_valid(), form.errors
    params = json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))
    result = financial.compute_var(params=params, progress=no_progress, actor=None)
    # the two columns mirror each other: the 50/50 portfolio returns -0,5 % every period
    assert result["data"]["measures"]["0.95"]["historical_var"] == pytest.approx(0.005)


@pytest.mark.parametrize("text, weights, message", [
    ("0,01\n0,02\nabc\n", None, "no numérico"),
    ("0,01;0,02\n0,03\n", None, "columnas"),
    ("0,01;0,02\n0,03;0,01\n", [0.7, 0.7], "sumar 1"),
])
def test_bad_returns_input_says_why(text, weights, message):
    with pytest.raises(EngineInputError, match=message):
        names, matrix = financial.parse_returns_csv(text)
        financial.portfolio_returns(matrix, weights)


def test_too_few_returns():
    with pytest.raises(EngineInputError, match="al menos 10"):
        financial.value_at_risk([0.01, -0.02, 0.03])


def test_npv_and_irr_of_known_flows():
    result = financial.npv_irr([Decimal("-1000"), Decimal("300"), Decimal("400"), Decimal("500")], Decimal("0.10"))
    # -1000 + 300/1,1 + 400/1,21 + 500/1,331 = -21,04
    assert result["data"]["npv"] == "-21.04"
    assert result["data"]["irr"] == pytest.approx(0.0889634, abs=1e-6)
    assert result["summary"][0]["value"] == "-21,04 €"
    assert financial.irr([-100, 39, 59, 55, 20]) == pytest.approx(0.2809484, abs=1e-6)
    assert financial.npv(0.2809484211599611, [-100, 39, 59, 55, 20]) == pytest.approx(0, abs=1e-8)


def test_npv_engine_from_the_form_and_flows_without_irr():
    form = NpvIrrForm(data={"flows": "-1000; 300; 400; 500", "rate": "10"})
    assert form.is_valid(), form.errors
    params = json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))
    assert financial.compute_npv_irr(params=params, progress=no_progress, actor=None)["data"]["npv"] == "-21.04"
    no_irr = financial.npv_irr([Decimal("100"), Decimal("50")], Decimal("0.05"))
    assert no_irr["data"]["irr"] is None and no_irr["messages"]
    with pytest.raises(EngineInputError, match="no es un importe"):
        financial.parse_flows("-1000; mil")


def test_french_amortisation_table():
    rows = financial.french_schedule(Decimal("10000"), Decimal("5"), 12)
    # r = 5 % / 12; cuota = 10.000 · r / (1 - (1 + r)^-12) = 856,07
    assert rows[0] == {"n": 1, "instalment": Decimal("856.07"), "interest": Decimal("41.67"),
                       "principal": Decimal("814.40"), "balance": Decimal("9185.60")}
    assert all(row["instalment"] == Decimal("856.07") for row in rows[:-1])
    # the last instalment absorbs the rounding: it pays the balance left, 852,57 + 3,55 interest
    assert rows[-1]["instalment"] == Decimal("856.12")
    assert rows[-1]["principal"] == Decimal("852.57") and rows[-1]["interest"] == Decimal("3.55")
    assert rows[-1]["balance"] == Decimal("0.00")
    assert sum(row["principal"] for row in rows) == Decimal("10000.00")
    assert sum(row["interest"] for row in rows) == Decimal("272.89")
    assert all(isinstance(row["instalment"], Decimal) for row in rows)


def test_amortisation_engine_and_limits():
    form = AmortizationForm(data={"principal": "10000", "annual_rate": "5", "months": "12"})
    assert form.is_valid(), form.errors
    params = json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))
    result = financial.compute_amortization(params=params, progress=no_progress, actor=None)
    assert result["summary"][0]["value"] == "856,07 €"
    assert result["summary"][2]["value"] == "272,89 €"
    assert len(result["tables"][0]["rows"]) == 12
    # no interest: 1.000 € in 3 -> 333,33, 333,33 and 333,34
    zero = financial.french_schedule(Decimal("1000"), Decimal("0"), 3)
    assert [row["instalment"] for row in zero] == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    with pytest.raises(EngineInputError, match="mayor que cero"):
        financial.french_schedule(Decimal("0"), Decimal("5"), 12)
