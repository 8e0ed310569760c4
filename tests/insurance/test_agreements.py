"""Commission agreements are dated: a change applies from its date on, a receipt dated the day
before keeps the earlier %; a product's own agreement wins over the insurer's general one."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.insurance.selectors_catalog import agreement_in_force, agreements_in_force
from apps.insurance.services.agreements import agreement_create
from tests.insurance.test_catalog_support import (  # noqa: F401  (fixtures)
    cat_line, insurer, insurer_b, product,
)

pytestmark = pytest.mark.django_db
D = Decimal


def agree(actor, insurer, valid_from, nb, ren, product=None):
    return agreement_create(actor=actor, data={"insurer": insurer, "product": product, "valid_from": valid_from,
                                               "new_business_pct": D(nb), "renewal_pct": D(ren)})


def test_agreement_applies_from_its_date(admin_a, insurer, product):
    agree(admin_a, insurer, datetime.date(2026, 1, 1), "15", "10")
    agree(admin_a, insurer, datetime.date(2026, 6, 1), "18", "12")
    # a receipt dated the day before the change keeps the old %
    before = agreement_in_force(insurer=insurer, product=product, on_date=datetime.date(2026, 5, 31))
    on = agreement_in_force(insurer=insurer, product=product, on_date=datetime.date(2026, 6, 1))
    assert (before.new_business_pct, before.renewal_pct) == (D("15.00"), D("10.00"))
    assert (on.new_business_pct, on.renewal_pct) == (D("18.00"), D("12.00"))
    assert agreement_in_force(insurer=insurer, product=product, on_date=datetime.date(2025, 12, 31)) is None


def test_product_agreement_wins_over_general(admin_a, insurer, product):
    agree(admin_a, insurer, datetime.date(2026, 1, 1), "15", "10")
    agree(admin_a, insurer, datetime.date(2026, 3, 1), "20", "14", product=product)
    assert agreement_in_force(insurer=insurer, product=product, on_date=datetime.date(2026, 2, 28)).new_business_pct \
        == 15
    assert agreement_in_force(insurer=insurer, product=product, on_date=datetime.date(2026, 3, 1)).new_business_pct \
        == 20
    # the general one still applies to other products and to the insurer as a whole
    assert agreement_in_force(insurer=insurer, product=None, on_date=datetime.date(2026, 3, 1)).new_business_pct == 15
    bulk = agreements_in_force([product], datetime.date(2026, 3, 1))
    assert bulk[product.pk].new_business_pct == 20


def test_same_date_refused(admin_a, insurer, product):
    agree(admin_a, insurer, datetime.date(2026, 1, 1), "15", "10")
    with pytest.raises(ValidationError) as info:
        agree(admin_a, insurer, datetime.date(2026, 1, 1), "16", "10")
    assert "Ya hay un acuerdo de Mapfre España para todos sus productos en vigor desde el 01/01/2026" in \
        info.value.message_dict["valid_from"][0]
    # the same date for a product of its own is another agreement
    assert agree(admin_a, insurer, datetime.date(2026, 1, 1), "16", "10", product=product).pk


@pytest.mark.parametrize("nb, ren, field", [("101", "10", "new_business_pct"), ("15", "-1", "renewal_pct")])
def test_percentages_between_0_and_100(admin_a, insurer, nb, ren, field):
    with pytest.raises(ValidationError) as info:
        agree(admin_a, insurer, datetime.date(2026, 1, 1), nb, ren)
    assert "entre 0 y 100" in info.value.message_dict[field][0]


def test_product_of_another_insurer_refused(admin_a, insurer_b, product):
    with pytest.raises(ValidationError) as info:
        agree(admin_a, insurer_b, datetime.date(2026, 1, 1), "10", "5", product=product)
    assert "no es de Mutua Madrileña" in info.value.message_dict["product"][0]
