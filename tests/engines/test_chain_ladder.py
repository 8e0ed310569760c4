"""Chain-ladder on published triangles: RAA (Mack 1993) and Taylor & Ashe 1983 (GenIns), their published
volume-weighted factors, IBNR and Mack standard errors; bad triangles end with a clear message."""
import numpy as np
import pytest

from apps.engines.errors import EngineInputError
from apps.engines.services.chain_ladder import bornhuetter_ferguson, chain_ladder
from apps.engines.services.triangles import parse_triangle_csv

RAA = [[5012, 8269, 10907, 11805, 13539, 16181, 18009, 18608, 18662, 18834],
       [106, 4285, 5396, 10666, 13782, 15599, 15496, 16169, 16704],
       [3410, 8992, 13873, 16141, 18735, 22214, 22863, 23466],
       [5655, 11555, 15766, 21266, 23425, 26083, 27067],
       [1092, 9565, 15836, 22169, 25955, 26180],
       [1513, 6445, 11702, 12935, 15852],
       [557, 4020, 10946, 12314],
       [1351, 6947, 13112],
       [3133, 5395],
       [2063]]
TAYLOR_ASHE = [[357848, 1124788, 1735330, 2218270, 2745596, 3319994, 3466336, 3606286, 3833515, 3901463],
               [352118, 1236139, 2170033, 3353322, 3799067, 4120063, 4647867, 4914039, 5339085],
               [290507, 1292306, 2218525, 3235179, 3985995, 4132918, 4628910, 4909315],
               [310608, 1418858, 2195047, 3757447, 4029929, 4381982, 4588268],
               [443160, 1136350, 2128333, 2897821, 3402672, 3873311],
               [396132, 1333217, 2180715, 2985752, 3691712],
               [440832, 1288463, 2419861, 3483130],
               [359480, 1421128, 2864498],
               [376686, 1363294],
               [344014]]


def square(rows):
    return [row + [None] * (len(rows) - len(row)) for row in rows]


def test_raa_reproduces_mack_1993():
    cl = chain_ladder(square(RAA))
    assert np.round(cl.factors, 3).tolist() == [2.999, 1.624, 1.271, 1.172, 1.113, 1.042, 1.033, 1.017, 1.009]
    assert round(cl.ibnr_total) == 52135
    assert np.round(cl.ibnr).astype(int).tolist() == [0, 154, 617, 1636, 2747, 3649, 5435, 10907, 10650, 16339]
    assert round(cl.mack_total_se) == 26909
    assert np.round(cl.mack_se).astype(int).tolist() == [0, 206, 623, 747, 1469, 2002, 2209, 5358, 6333, 24566]


def test_taylor_ashe_reproduces_published_reserves():
    cl = chain_ladder(square(TAYLOR_ASHE))
    assert np.round(cl.factors, 3).tolist() == [3.491, 1.747, 1.457, 1.174, 1.104, 1.086, 1.054, 1.077, 1.018]
    assert round(cl.ibnr_total) == 18680856
    assert round(cl.mack_total_se) == 2447095


def test_bornhuetter_ferguson_uses_the_unreported_share():
    cl = chain_ladder(square(RAA))
    bf = bornhuetter_ferguson(cl, [20000.0] * 10, 0.8)
    # the last origin: 1 - 1/CDF(12) of an expected 16.000
    assert bf["ibnr"][-1] == pytest.approx(16000 * (1 - 1 / cl.cdf[0]))
    assert bf["ibnr"][0] == 0


@pytest.mark.parametrize("triangle, words", [
    ([[100, 150, 160], [90, None, None], [80, None, None]], "Falta la celda del origen 2, desarrollo 2"),
    ([[100, 150, 160], [90, -5, None], [80, None, None]], "negativa"),
    ([[100, 150], [90, None]], "al menos 3"),
    ([[100, "x", 160], [90, 95, None], [80, None, None]], "no numéricas"),
])
def test_bad_triangles_end_with_a_clear_message(triangle, words):
    with pytest.raises(EngineInputError) as exc:
        chain_ladder(triangle)
    assert words in exc.value.message


def test_csv_triangle_with_decimal_comma_premium_and_errors():
    text = "origen;12;24;36;prima\n2022;1.000,50;1.500;1.600;2.000\n2023;900;1.200;;1.900\n2024;800;;;2.100\n"
    parsed = parse_triangle_csv(text)
    assert parsed["developments"] == ["12", "24", "36"]
    assert parsed["values"][0] == [1000.5, 1500.0, 1600.0] and parsed["values"][2] == [800.0, None, None]
    assert parsed["premiums"] == [2000.0, 1900.0, 2100.0]
    incremental = parse_triangle_csv("origen,12,24,36\n2022,100,50,10\n2023,90,30,\n2024,80,,\n", incremental=True)
    assert incremental["values"][0] == [100.0, 150.0, 160.0]
    with pytest.raises(EngineInputError) as exc:
        parse_triangle_csv("origen;12;24;36\n2022;100;abc;160\n2023;90;95;\n2024;80;;\n")
    assert "fila 2" in exc.value.message and "«24»" in exc.value.message and "no es numérica" in exc.value.message
