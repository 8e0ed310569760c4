"""Each metric's numbers on the fixture of conftest.py (year 2025 against 2024)."""
import datetime
from decimal import Decimal

import pytest

from apps.analytics.metrics import METRICS
from apps.analytics.metrics import claims as claims_metrics
from apps.analytics.periods import period_for

D = Decimal
YEAR_2025 = period_for("year", today=datetime.date(2025, 6, 15))


def chart(key, user, period=YEAR_2025):
    data = METRICS[key].compute(user, period)
    return {s.key: dict(zip(data.keys, s.values)) for s in data.series}, data


@pytest.fixture
def no_engine(monkeypatch):
    monkeypatch.setattr(claims_metrics, "_engine", lambda: None)


def test_production_by_month_and_line_is_the_sum_of_the_new_policies(an_data):
    series, data = chart("production", an_data.admin)
    assert data.keys[0] == "2025-01" and len(data.keys) == 12 and data.labels[2] == "mar 2025"
    assert series["an-auto"]["2025-03"] == D("800.00")   # p1 + p2, not the draft p5
    assert series["an-hogar"]["2025-05"] == D("200.00")  # p3 (cancelled later, still produced); p6 is a renewal
    assert sum(v for s in series.values() for v in s.values()) == D("1000.00")


def test_production_kpi_compares_with_the_previous_year(an_data):
    kpi = METRICS["kpi_production"].compute(an_data.admin, YEAR_2025)
    assert (kpi.value, kpi.previous, kpi.change) == (D("1000.00"), D("150.00"), D("566.7"))


def test_comercial_sees_only_its_clients(an_data):
    series, _data = chart("production", an_data.comercial)
    assert series == {"an-auto": {**{k: D("0.00") for k in series["an-auto"]}, "2025-03": D("500.00")}}
    kpi = METRICS["kpi_production"].compute(an_data.comercial, YEAR_2025)
    assert (kpi.value, kpi.previous) == (D("500.00"), D("150.00"))
    funnel, _data = chart("pipeline", an_data.comercial)
    assert funnel["count"]["new"] == 1


def test_portfolio_by_insurer_on_the_last_day(an_data):
    ins1, ins2 = an_data.insurers
    series, _data = chart("portfolio", an_data.admin)
    assert series["premium"] == {str(ins1.pk): D("500.00"), str(ins2.pk): D("460.00")}  # p3 cancelled, p6 renewal
    kpi = METRICS["kpi_portfolio"].compute(an_data.admin, YEAR_2025)
    assert (kpi.value, kpi.previous) == (D("960.00"), D("150.00"))


def test_collections_returns_and_rate(an_data):
    series, _data = chart("collections", an_data.admin)
    assert series["collection"]["2025-04"] == D("800.00") and series["return"]["2025-04"] == D("300.00")
    assert series["collection"]["2025-06"] == D("200.00")
    assert METRICS["kpi_collected"].compute(an_data.admin, YEAR_2025).value == D("1000.00")
    rate = METRICS["kpi_returns_rate"].compute(an_data.admin, YEAR_2025)
    assert (rate.value, rate.previous, rate.change) == (D("33.33"), D("0.00"), None)


def test_broker_commissions_net_of_reversals(an_data):
    series, _data = chart("commissions", an_data.admin)
    assert series["net"]["2025-04"] == D("50.00")
    assert METRICS["kpi_commissions"].compute(an_data.admin, YEAR_2025).value == D("50.00")


def test_loss_ratio_by_line_and_total(an_data, no_engine):
    series, _data = chart("loss_ratio", an_data.admin)
    assert series["ratio"] == {"an-auto": D("50.00"), "an-hogar": D("25.00")}
    kpi = METRICS["kpi_loss_ratio"].compute(an_data.admin, YEAR_2025)
    assert (kpi.value, kpi.previous) == (D("45.00"), D("0.00"))


def test_loss_ratio_uses_the_engine_when_installed(an_data, monkeypatch):
    calls = []

    def fake(*, date_from, date_to, group_by):
        calls.append((date_from, date_to, group_by))
        return [{"line_id": an_data.lines[0].pk, "line": "Automóviles AN", "earned_premium": D("1000.00"),
                 "incurred": D("600.00"), "loss_ratio": D("60.00")}]

    monkeypatch.setattr(claims_metrics, "_engine", lambda: fake)
    series, data = chart("loss_ratio", an_data.admin)
    assert series["ratio"] == {"an-auto": D("60.00")} and data.labels == ["Automóviles AN"]
    assert calls == [(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), ("line",))]


def test_a_failing_engine_falls_back_to_the_analytics_figure(an_data, monkeypatch):
    from django.db import connection

    def broken(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1/0")

    monkeypatch.setattr(claims_metrics, "_engine", lambda: broken)
    series, _data = chart("loss_ratio", an_data.admin)
    assert series["ratio"] == {"an-auto": D("50.00"), "an-hogar": D("25.00")}


def test_claims_by_month_and_kpi(an_data):
    series, _data = chart("claims", an_data.admin)
    assert series["an-auto"]["2025-06"] == 1 and series["an-hogar"]["2025-07"] == 1
    kpi = METRICS["kpi_claims"].compute(an_data.admin, YEAR_2025)
    assert (kpi.value, kpi.previous) == (2, 1)


def test_pipeline_funnel(an_data):
    series, data = chart("pipeline", an_data.admin)
    assert series["count"]["new"] == 2 and series["count"]["won"] == 1 and data.keys[0] == "new"


def test_headcount_by_department(an_data):
    series, _data = chart("headcount", an_data.admin)
    assert series["headcount"] == {str(an_data.department.pk): 1, "none": 1}
    kpi = METRICS["kpi_headcount"].compute(an_data.admin, YEAR_2025)
    assert (kpi.value, kpi.previous) == (2, 2)
