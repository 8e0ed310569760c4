"""Loss ratio with pro-rata earned premium on the worked example of conftest.py (numbers written there)."""
import datetime
from decimal import Decimal

import pytest

from apps.engines.errors import EngineInputError
from apps.engines.services.loss_ratio import loss_ratio, loss_ratio_totals

D = Decimal
H1 = {"date_from": datetime.date(2025, 1, 1), "date_to": datetime.date(2025, 6, 30)}


def test_loss_ratio_by_line_with_pro_rata_earned_premium(lr_data):
    rows = loss_ratio(**H1, group_by=["line"], line=lr_data["line"])
    assert len(rows) == 1
    row = rows[0]
    assert row["line"] == "Autos LR"
    assert row["earned_premium"] == D("453.00")
    assert row["incurred"] == D("550.00") and row["paid"] == D("350.00") and row["claims"] == 2
    assert row["loss_ratio"] == D("121.41")


def test_loss_ratio_by_quarter(lr_data):
    rows = loss_ratio(**H1, group_by=["period"], period="quarter", line=lr_data["line"])
    assert [(r["period_label"], r["earned_premium"], r["incurred"], r["loss_ratio"]) for r in rows] == [
        ("2025-T1", D("180.00"), D("300.00"), D("166.67")),
        ("2025-T2", D("273.00"), D("250.00"), D("91.58")),
    ]
    assert loss_ratio_totals(rows)["loss_ratio"] == D("121.41")


def test_loss_ratio_by_insurer_and_product_and_valuation_date(lr_data):
    rows = loss_ratio(**H1, group_by=["insurer", "product"], line=lr_data["line"],
                      valuation_date=datetime.date(2025, 7, 31))
    # valued on 31/07 S2's reserve is 500 (changed on 10/07): 300 + 500 = 800
    assert [(r["insurer"], r["product"], r["incurred"]) for r in rows] == [
        ("Aseguradora LR", "Autos LR producto", D("800.00"))]


def test_a_range_with_no_data_earns_nothing(lr_data):
    rows = loss_ratio(date_from="2030-01-01", date_to="2030-12-31", group_by=["line"], line=lr_data["line"])
    assert rows == []
    with pytest.raises(EngineInputError):
        loss_ratio(date_from="2025-12-31", date_to="2025-01-01", group_by=["line"])


@pytest.mark.parametrize("kwargs, message", [
    ({"group_by": ["line", "agent"]}, "Agrupación o periodo no válidos."),
    ({"group_by": ["period"], "period": "week"}, "Agrupación o periodo no válidos."),
    ({"date_from": "31/12/2025"}, "no es válida"),
])
def test_bad_input_is_refused_with_a_spanish_message(lr_data, kwargs, message):
    with pytest.raises(EngineInputError, match=message):
        loss_ratio(**{**H1, "group_by": ["line"], **kwargs})


def _sum_by_quarter(rows):
    quarters = {}
    for r in rows:
        month = int(r["period"][5:7])
        key = f"{r['period'][:4]}-T{(month - 1) // 3 + 1}"
        acc = quarters.setdefault(key, [D("0.00"), D("0.00"), D("0.00"), 0])
        for i, name in enumerate(("earned_premium", "incurred", "paid", "claims")):
            acc[i] += r[name]
    return quarters


def test_each_quarter_is_the_sum_of_its_months(lr_data):
    months = loss_ratio(**H1, group_by=["period"], period="month", line=lr_data["line"])
    # Jan 31+31, Feb 28+28, Mar 31+31 (A and C earn 1,00 a day); from April A 1,00 and B 2,00 a day
    assert [(r["period_label"], r["earned_premium"]) for r in months] == [
        ("2025-01", D("62.00")), ("2025-02", D("56.00")), ("2025-03", D("62.00")),
        ("2025-04", D("90.00")), ("2025-05", D("93.00")), ("2025-06", D("90.00"))]
    quarters = loss_ratio(**H1, group_by=["period"], period="quarter", line=lr_data["line"])
    assert {r["period_label"]: [r["earned_premium"], r["incurred"], r["paid"], r["claims"]] for r in quarters} \
        == _sum_by_quarter(months)


@pytest.fixture
def endorsed(lr_data):
    """LR-E, 01/01-31/12/2025: 365,00 a year (1,00 a day) from 01/01, endorsed to 730,00 (2,00 a day) on
    01/04, cancelled on 31/05 (a cancellation version of that date). H1 2025 earns 90 × 1 + 61 × 2 = 212,00:
    Q1 90,00 (Jan 31, Feb 28, Mar 31), Q2 122,00 (Apr 60, May 62, Jun 0)."""
    from apps.insurance.models import Line, Policy, PolicyVersion

    line = Line.objects.create(code="lr-hogar", name="Hogar LR", dgsfp_class="08")
    holder = lr_data["policies"][0].policyholder
    policy = Policy.objects.create(insurer=lr_data["insurer"], number="LR-E", product=lr_data["product"], line=line,
                                   policyholder=holder, state="cancelled", start_date=datetime.date(2025, 1, 1),
                                   expiry_date=datetime.date(2025, 12, 31), net_premium=D("730.00"),
                                   cancellation_date=datetime.date(2025, 5, 31), total_premium=D("730.00"))
    Policy.objects.filter(pk=policy.pk).update(expiry_date=datetime.date(2025, 12, 31))
    for number, kind, day, premium in [(1, "issue", datetime.date(2025, 1, 1), "365.00"),
                                       (2, "endorsement", datetime.date(2025, 4, 1), "730.00"),
                                       (3, "cancellation", datetime.date(2025, 5, 31), "0.00")]:
        PolicyVersion.objects.create(policy=policy, number=number, kind=kind, effective_date=day,
                                     net_premium=D(premium), total_premium=D(premium))
    return line


def test_an_endorsement_earns_its_new_premium_from_its_effect_until_the_cancellation(endorsed):
    rows = loss_ratio(**H1, group_by=["line"], line=endorsed)
    assert [(r["line"], r["earned_premium"], r["claims"], r["loss_ratio"]) for r in rows] == [
        ("Hogar LR", D("212.00"), 0, D("0.00"))]
    quarters = loss_ratio(**H1, group_by=["period"], period="quarter", line=endorsed)
    assert [(r["period_label"], r["earned_premium"]) for r in quarters] == [("2025-T1", D("90.00")),
                                                                             ("2025-T2", D("122.00"))]
    months = loss_ratio(**H1, group_by=["period"], period="month", line=endorsed)
    assert [(r["period_label"], r["earned_premium"]) for r in months] == [
        ("2025-01", D("31.00")), ("2025-02", D("28.00")), ("2025-03", D("31.00")),
        ("2025-04", D("60.00")), ("2025-05", D("62.00"))]
    assert {r["period_label"]: r["earned_premium"] for r in quarters} == {
        k: v[0] for k, v in _sum_by_quarter(months).items()}


def test_a_range_starting_mid_quarter_earns_from_its_first_day(endorsed):
    rows = loss_ratio(date_from="2025-03-17", date_to="2025-04-10", group_by=["period"], period="quarter",
                      line=endorsed)
    # 17-31/03: 15 days × 1,00; 01-10/04: 10 days × 2,00
    assert [(r["period"], r["period_label"], r["earned_premium"]) for r in rows] == [
        ("2025-03-17", "2025-T1", D("15.00")), ("2025-04-01", "2025-T2", D("20.00"))]
