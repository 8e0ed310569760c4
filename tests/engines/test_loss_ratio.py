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
