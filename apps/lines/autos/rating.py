"""Autos rating: base premium × cover × driver age × licence years × bonus × use × vehicle age
× province. Every figure comes from the product's tariff."""
from django.utils.translation import gettext as _

from apps.insurance.rating import Declined, LineRating, RatingInput, money
from apps.lines.common import age_at, as_date, fmt_eur, fmt_factor, province_code

from .risk import COVER_CHOICES, TODO_RIESGO, USE_CHOICES


def rate(inp: RatingInput) -> LineRating:
    table, risk, on = inp.tariff, inp.risk, inp.effective_date
    driver_age = age_at(as_date(risk["driver_birth_date"]), on)
    licence_years = age_at(as_date(risk["driver_licence_date"]), on)
    vehicle_age = max(age_at(as_date(risk["first_registration_date"]), on), 0)
    min_age = table.param("min_driver_age")
    if driver_age < min_age:
        raise Declined(_("El conductor habitual tiene %(age)s años y el producto exige una edad mínima de "
                         "%(min)s años.") % {"age": driver_age, "min": min_age})
    if risk["cover"] in TODO_RIESGO:
        max_vehicle_age = table.param("max_vehicle_age")
        if vehicle_age > max_vehicle_age:
            raise Declined(_("El producto no contrata todo riesgo para vehículos de más de %(max)s años "
                             "(este tiene %(age)s).") % {"max": max_vehicle_age, "age": vehicle_age})
    premium = table.base_premium
    breakdown = [(_("Prima base"), fmt_eur(premium))]

    def apply(label, factor):
        nonlocal premium
        premium = premium * factor
        breakdown.append((label, fmt_factor(factor)))

    covers, uses = dict(COVER_CHOICES), dict(USE_CHOICES)
    apply(_("Modalidad: %(cover)s") % {"cover": covers.get(risk["cover"], risk["cover"])},
          table.factor("cover", risk["cover"]))
    apply(_("Edad del conductor: %(age)s años") % {"age": driver_age}, table.factor("driver_age", driver_age))
    apply(_("Antigüedad del permiso: %(years)s años") % {"years": licence_years},
          table.factor("licence_years", licence_years))
    apply(_("Años sin siniestros: %(years)s") % {"years": risk["bonus_years"]},
          table.factor("bonus_years", risk["bonus_years"]))
    apply(_("Uso: %(use)s") % {"use": uses.get(risk["use"], risk["use"])}, table.factor("use", risk["use"]))
    apply(_("Antigüedad del vehículo: %(years)s años") % {"years": vehicle_age},
          table.factor("vehicle_age", vehicle_age))
    province = province_code(risk["postal_code"])
    apply(_("Provincia de circulación: %(code)s") % {"code": province}, table.factor("province", province, default="1"))
    if risk.get("second_driver_birth_date"):
        second_age = age_at(as_date(risk["second_driver_birth_date"]), on)
        if second_age < min_age:
            raise Declined(_("El conductor ocasional tiene %(age)s años y el producto exige una edad mínima de "
                             "%(min)s años.") % {"age": second_age, "min": min_age})
        apply(_("Conductor ocasional: %(age)s años") % {"age": second_age},
              table.factor("second_driver_age", second_age, default="1"))
    net = money(premium)
    breakdown.append((_("Prima neta"), fmt_eur(net)))
    return LineRating(net_premium=net, breakdown=breakdown)
