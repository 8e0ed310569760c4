"""Rating one product for one risk: the tariff in force, the line's rules, the minimum
premium, then taxes and surcharges. Used by quotes, endorsements and renewals alike."""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.core.money import format_eur
from apps.insurance.lines import get_line
from apps.insurance.models import Tariff
from apps.insurance.rating import Declined, PremiumTaxes, RatingInput, TariffTable, money, premium_taxes


@dataclass
class ProductRating:
    product: object
    tariff: object | None
    eligible: bool
    decline_reason: str = ""
    net_premium: Decimal = Decimal("0.00")
    taxes: PremiumTaxes | None = None
    breakdown: list = field(default_factory=list)

    @property
    def total_premium(self) -> Decimal:
        return self.net_premium + (self.taxes.total if self.taxes else Decimal("0"))


def tariff_in_force(product, on_date: datetime.date, tariffs=None):
    """The product's tariff with the latest valid_from on or before `on_date` (None if none).
    `tariffs` lets a caller pass the product's tariffs already loaded."""
    candidates = tariffs if tariffs is not None else Tariff.objects.filter(product=product, valid_from__lte=on_date)
    in_force = [tariff for tariff in candidates if tariff.valid_from <= on_date]
    return max(in_force, key=lambda tariff: tariff.valid_from, default=None)


def rate_product(*, product, risk: dict, on_date: datetime.date, tariff=None) -> ProductRating:
    """`risk` is validated data (services.risks.risk_validate). Never raises for a declined
    product: the answer says why instead, so a comparison can list it."""
    spec = get_line(product.line.code)
    tariff = tariff or tariff_in_force(product, on_date)
    if tariff is None:
        return ProductRating(product, None, False, _("El producto no tiene tarifa en vigor el %(date)s.") % {
            "date": on_date.strftime("%d/%m/%Y")})
    table = tariff if isinstance(tariff, TariffTable) else TariffTable(tariff)
    try:
        answer = spec.rate(RatingInput(risk=risk, tariff=table, effective_date=on_date, product=product))
    except Declined as declined:
        return ProductRating(product, table.tariff, False, declined.reason)
    net = money(answer.net_premium)
    breakdown = list(answer.breakdown)
    if net < table.minimum_premium:
        breakdown.append((_("Prima mínima del producto"), format_eur(table.minimum_premium)))
        net = money(table.minimum_premium)
    taxes = premium_taxes(line=product.line, net_premium=net, sum_insured=spec.sum_insured(risk))
    return ProductRating(product, table.tariff, True, "", net, taxes, breakdown)
