"""Every line's demo_risk(rng): varied, valid (risk_validate) and rated by the line's template tariff."""
import random

import pytest

from apps.insurance.lines import registered_lines
from apps.insurance.services.risks import risk_validate

LINES = ["autos", "hogar", "vida", "salud", "decesos", "accidentes", "rc", "empresas"]
DRAWS = 50


class _Row:
    def __init__(self, factor, key, band_from, band_to, value):
        self.factor, self.key, self.band_from, self.band_to, self.value = factor, key or "", band_from, band_to, value


class _Tariff:
    """The line's template as an unsaved tariff (TariffTable reads only these attributes)."""

    def __init__(self, template):
        self.base_premium = template.base_premium
        self.minimum_premium = template.minimum_premium
        self.parameters = dict(template.parameters)


def _table(spec):
    from apps.insurance.rating import TariffTable

    template = spec.tariff_template()
    return TariffTable(_Tariff(template), factors=[_Row(*row) for row in template.factors])


@pytest.mark.parametrize("code", LINES)
def test_demo_risks_are_valid_varied_and_rated(code):
    import datetime

    from apps.insurance.rating import Declined, RatingInput

    spec = {s.code: s for s in registered_lines()}[code]
    assert spec.demo_risk is not None, f"{code} has no demo_risk"
    rng = random.Random(5)
    table = _table(spec)
    summaries, declined = set(), 0
    for _ in range(DRAWS):
        data = risk_validate(line_code=code, raw=spec.demo_risk(rng))  # raises ValidationError if invalid
        summaries.add(spec.summary(data))
        try:
            rating = spec.rate(RatingInput(risk=data, tariff=table, effective_date=datetime.date.today(), product=None))
        except Declined:
            declined += 1
            continue
        assert rating.net_premium > 0
    assert declined == 0, f"{code}: {declined} of {DRAWS} demo risks declined by the template tariff"
    assert len(summaries) >= DRAWS // 2, f"{code}: only {len(summaries)} different risks in {DRAWS} draws"


def test_demo_risk_is_reproducible():
    for spec in registered_lines():
        if spec.demo_risk and spec.code in LINES:
            assert spec.demo_risk(random.Random(1)) == spec.demo_risk(random.Random(1))
