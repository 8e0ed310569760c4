"""Vida riesgo rating: management fee + death capital ‰ × age rate × smoker × profession, plus the
IPA capital at the tariff's IPA rate. Ages, limits and rates come from the product's tariff."""
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.insurance.rating import Declined, LineRating, RatingInput, money
from apps.lines.common import age_at, as_date, fmt_eur, fmt_factor, fmt_number

THOUSAND = Decimal("1000")


def rate(inp: RatingInput) -> LineRating:
    table, risk = inp.tariff, inp.risk
    age = age_at(as_date(risk["birth_date"]), inp.effective_date)
    min_age, max_age = table.param("min_age"), table.param("max_age")
    if age < min_age or age > max_age:
        raise Declined(_("El asegurado tiene %(age)s años el %(date)s y el producto se contrata entre los %(min)s y "
                         "los %(max)s años.") % {"age": age, "date": inp.effective_date.strftime("%d/%m/%Y"),
                                                 "min": min_age, "max": max_age})
    death = Decimal(str(risk["death_capital"]))
    ipa = Decimal(str(risk["ipa_capital"])) if risk.get("ipa_capital") else Decimal("0")
    max_capital = table.param("max_capital", "0")
    if max_capital and death > max_capital:
        raise Declined(_("El capital por fallecimiento (%(capital)s) supera el máximo del producto sin pruebas "
                         "médicas adicionales (%(max)s).") % {"capital": fmt_eur(death), "max": fmt_eur(max_capital)})
    breakdown = [(_("Gastos de gestión"), fmt_eur(table.base_premium))]
    age_rate = table.factor("age_rate", age)
    death_premium = death / THOUSAND * age_rate
    breakdown.append((_("Fallecimiento %(capital)s: tasa %(rate)s ‰ a los %(age)s años") % {
        "capital": fmt_eur(death), "rate": fmt_number(age_rate), "age": age}, fmt_eur(death_premium)))
    smoker = table.factor("smoker", bool(risk.get("smoker")))
    death_premium *= smoker
    breakdown.append((_("Fumador") if risk.get("smoker") else _("No fumador"), fmt_factor(smoker)))
    profession = table.factor("profession_class", str(risk["profession_class"]))
    death_premium *= profession
    breakdown.append((_("Profesión clase %(cls)s") % {"cls": risk["profession_class"]}, fmt_factor(profession)))
    premium = table.base_premium + death_premium
    if ipa:
        ipa_rate = table.param("ipa_per_mille")
        ipa_premium = ipa / THOUSAND * ipa_rate
        premium += ipa_premium
        breakdown.append((_("Incapacidad permanente absoluta %(capital)s al %(rate)s ‰") % {
            "capital": fmt_eur(ipa), "rate": fmt_number(ipa_rate)}, "+ " + fmt_eur(ipa_premium)))
    net = money(premium)
    breakdown.append((_("Prima neta"), fmt_eur(net)))
    return LineRating(net_premium=net, breakdown=breakdown)
