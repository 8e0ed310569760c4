"""Hogar rating: (base + building ‰ + contents ‰ + valuables ‰) × dwelling type × construction
year × zone. Rates, limits and factors come from the product's tariff."""
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.insurance.rating import Declined, LineRating, RatingInput, money
from apps.lines.common import fmt_eur, fmt_factor, fmt_number, province_code

from .risk import DWELLING_CHOICES

THOUSAND = Decimal("1000")


def _amount(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal("0")


def rate(inp: RatingInput) -> LineRating:
    table, risk = inp.tariff, inp.risk
    building = _amount(risk.get("building_capital"))
    contents = _amount(risk.get("contents_capital"))
    valuables = _amount(risk.get("valuables_capital"))
    area = Decimal(risk["built_area"])
    total = building + contents + valuables
    max_sum = table.param("max_sum_insured", "0")
    if max_sum and total > max_sum:
        raise Declined(_("La suma asegurada (%(total)s) supera el máximo del producto (%(max)s).")
                       % {"total": fmt_eur(total), "max": fmt_eur(max_sum)})
    if building:
        min_per_m2 = table.param("min_building_per_m2", "0")
        if building / area < min_per_m2:
            raise Declined(_(
                "Infraseguro: el continente (%(capital)s) equivale a %(per_m2)s por m² construido y este producto "
                "exige al menos %(min)s por m² (%(needed)s para %(area)s m²)."
            ) % {"capital": fmt_eur(building), "per_m2": fmt_eur(building / area), "min": fmt_eur(min_per_m2),
                 "needed": fmt_eur(min_per_m2 * area), "area": risk["built_area"]})
    premium = table.base_premium
    breakdown = [(_("Prima base"), fmt_eur(premium))]
    for capital, param, label in (
        (building, "building_per_mille", _("Continente")),
        (contents, "contents_per_mille", _("Contenido")),
        (valuables, "valuables_per_mille", _("Joyas y objetos de valor")),
    ):
        if not capital:
            continue
        rate_per_mille = table.param(param)
        part = capital * rate_per_mille / THOUSAND
        premium += part
        breakdown.append((_("%(label)s %(capital)s al %(rate)s ‰") % {
            "label": label, "capital": fmt_eur(capital), "rate": fmt_number(rate_per_mille)}, "+ " + fmt_eur(part)))

    def apply(label, factor):
        nonlocal premium
        premium = premium * factor
        breakdown.append((label, fmt_factor(factor)))

    dwellings = dict(DWELLING_CHOICES)
    apply(_("Tipo de vivienda: %(type)s") % {"type": dwellings.get(risk["dwelling_type"], risk["dwelling_type"])},
          table.factor("dwelling_type", risk["dwelling_type"]))
    apply(_("Año de construcción: %(year)s") % {"year": risk["construction_year"]},
          table.factor("construction_year", risk["construction_year"]))
    zone = province_code(risk["postal_code"])
    apply(_("Zona (provincia %(code)s)") % {"code": zone}, table.factor("zone", zone, default="1"))
    net = money(premium)
    breakdown.append((_("Prima neta"), fmt_eur(net)))
    return LineRating(net_premium=net, breakdown=breakdown)
