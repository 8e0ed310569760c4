"""Tariff versioning: a new dated version copies the previous one's figures and factors, the
old version stays untouched, tariff_in_force picks by date; factor tables are validated; a
tariff used in quotes is edited only while its valid_from is in the future."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.insurance.models import Quote, QuoteOption, Tariff
from apps.insurance.rating import TariffTable
from apps.insurance.services.rating import tariff_in_force
from apps.insurance.services.tariffs import TariffInUse, tariff_create_version, tariff_update
from tests.insurance.test_catalog_support import (  # noqa: F401  (fixtures)
    JAN, JUL, cat_line, insurer, product,
)

pytestmark = pytest.mark.django_db
D = Decimal
FACTORS = [
    {"factor": "age", "band_from": "18", "band_to": "30", "value": "1.30"},
    {"factor": "age", "band_from": "30", "band_to": "100", "value": "1.00"},
    {"factor": "use", "key": "private", "value": "1"},
]


def rows(tariff):
    return [(f.factor, f.key, f.band_from, f.band_to, f.value) for f in tariff.factors.order_by("factor", "band_from")]


def test_new_version_copies_factors_and_leaves_old_untouched(admin_a, product):
    old = product.tariffs.get()
    new = tariff_create_version(actor=admin_a, product=product, valid_from=JUL)
    assert (new.base_premium, new.minimum_premium, new.parameters) == (D("100.00"), D("60.00"), {"per_mille": "1.2"})
    assert rows(new) == rows(old)
    tariff_update(actor=admin_a, tariff=new, data={"base_premium": "110.00"},
                  factors=FACTORS[:1] + [dict(FACTORS[1], value="0.95")] + FACTORS[2:],
                  today=datetime.date(2026, 6, 1))
    old.refresh_from_db()
    assert old.base_premium == D("100.00")
    assert TariffTable(old).factor("age", 40) == D("1.00")
    assert TariffTable(Tariff.objects.get(pk=new.pk)).factor("age", 40) == D("0.95")
    # tariff_in_force picks by date
    assert tariff_in_force(product, datetime.date(2026, 6, 30)).pk == old.pk
    assert tariff_in_force(product, JUL).pk == new.pk
    assert tariff_in_force(product, datetime.date(2025, 12, 31)) is None


def test_new_version_same_date_refused(admin_a, product):
    with pytest.raises(ValidationError) as info:
        tariff_create_version(actor=admin_a, product=product, valid_from=JAN)
    assert "ya tiene una tarifa en vigor desde el 01/01/2026" in info.value.message_dict["valid_from"][0]


def test_new_version_copies_from_chosen_version(admin_a, product):
    july = tariff_create_version(actor=admin_a, product=product, valid_from=JUL)
    tariff_update(actor=admin_a, tariff=july, data={"base_premium": "130"}, today=JAN)
    march = tariff_create_version(actor=admin_a, product=product, valid_from=datetime.date(2026, 3, 1))
    assert march.base_premium == D("100.00")  # the version before 01/03, not the latest
    october = tariff_create_version(actor=admin_a, product=product, valid_from=datetime.date(2026, 10, 1),
                                    copy_from=product.tariffs.get(valid_from=JAN))
    assert october.base_premium == D("100.00")


def test_overlapping_bands_refused(admin_a, product):
    tariff = product.tariffs.get()
    bad = [{"factor": "age", "band_from": "18", "band_to": "35", "value": "1.3"},
           {"factor": "age", "band_from": "30", "band_to": "100", "value": "1"}]
    with pytest.raises(ValidationError) as info:
        tariff_update(actor=admin_a, tariff=tariff, factors=bad)
    assert "se solapan" in info.value.message_dict["factors-1-band_from"][0]
    assert tariff.factors.count() == 3


@pytest.mark.parametrize("row, field, text", [
    ({"factor": "age", "band_from": "40", "band_to": "30", "value": "1"}, "band_to", "menor que"),
    ({"factor": "age", "band_from": "18", "band_to": "30", "value": "0"}, "value", "mayor que 0"),
    ({"factor": "age", "band_from": "18", "band_to": "30", "value": "-1"}, "value", "mayor que 0"),
    ({"factor": "age", "value": "1"}, "key", "categoría o un tramo"),
    ({"factor": "", "key": "x", "value": "1"}, "factor", "nombre del factor"),
])
def test_factor_rows_validated(admin_a, product, row, field, text):
    with pytest.raises(ValidationError) as info:
        tariff_update(actor=admin_a, tariff=product.tariffs.get(), factors=[row])
    assert text in info.value.message_dict[f"factors-0-{field}"][0]


def test_repeated_category_and_bad_figures(admin_a, product):
    with pytest.raises(ValidationError) as info:
        tariff_update(actor=admin_a, tariff=product.tariffs.get(), data={"minimum_premium": "-1",
                                                                         "parameters": {"per_mille": "abc"}},
                      factors=[{"factor": "use", "key": "private", "value": "1"},
                               {"factor": "use", "key": "private", "value": "1.1"}])
    errors = info.value.message_dict
    assert "repetida" in errors["factors-1-key"][0]
    assert "negativa" in errors["minimum_premium"][0]
    assert "per_mille" in errors["parameters"][0]


def _use_in_quote(tariff):
    from apps.crm.models import Party

    party = Party.objects.create(display_name="Cliente Tarifa", kind="person")
    quote = Quote.objects.create(client=party, line=tariff.product.line, effective_date=tariff.valid_from,
                                 valid_until=tariff.valid_from + datetime.timedelta(days=30), number="TST-1")
    QuoteOption.objects.create(quote=quote, product=tariff.product, tariff=tariff)


def test_tariff_used_in_quotes_needs_a_new_version(admin_a, product):
    tariff = product.tariffs.get()
    _use_in_quote(tariff)
    with pytest.raises(TariffInUse) as info:
        tariff_update(actor=admin_a, tariff=tariff, data={"base_premium": "1"}, today=datetime.date(2026, 2, 1))
    assert "cree una versión nueva" in info.value.message
    # before its valid_from, still editable
    updated = tariff_update(actor=admin_a, tariff=tariff, data={"base_premium": "101"},
                            today=datetime.date(2025, 12, 1))
    assert updated.base_premium == D("101")
