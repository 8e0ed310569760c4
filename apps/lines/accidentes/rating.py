"""Accidentes rating: (death capital × death ‰ + disability capital × disability ‰) × the
occupation's risk class × the cover's scope, plus the daily hospital allowance × its rate and the
policy fee. Rates, factors and the limits (age, capital, highest risk class) come from the tariff."""
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.insurance.rating import Declined, LineRating, RatingInput, money
from apps.lines.common import age_at, amount, as_date, fmt_eur, fmt_factor, fmt_number

from .risk import COVER_SCOPE_CHOICES

THOUSAND = Decimal("1000")


def rate(inp: RatingInput) -> LineRating:
    table, risk, on = inp.tariff, inp.risk, inp.effective_date
    death, disability = amount(risk.get("death_capital")), amount(risk.get("disability_capital"))
    allowance = amount(risk.get("daily_allowance"))
    age = age_at(as_date(risk["birth_date"]), on)
    max_age = table.param("max_age")
    if age > max_age:
        raise Declined(_("El asegurado tiene %(age)s años el %(date)s y supera la edad máxima de contratación del "
                         "producto (%(max)s años).") % {"age": age, "date": on.strftime("%d/%m/%Y"), "max": max_age})
    risk_class = int(risk["risk_class"])
    max_class = table.param("max_risk_class", "4")
    if risk_class > max_class:
        raise Declined(_("El producto no asegura profesiones de clase de riesgo %(cls)s (admite hasta la clase "
                         "%(max)s).") % {"cls": risk_class, "max": max_class})
    max_capital = table.param("max_capital", "0")
    if max_capital and max(death, disability) > max_capital:
        raise Declined(_("El capital asegurado (%(capital)s) supera el máximo del producto (%(max)s).")
                       % {"capital": fmt_eur(max(death, disability)), "max": fmt_eur(max_capital)})
    max_allowance = table.param("max_daily_allowance", "0")
    if allowance and max_allowance and allowance > max_allowance:
        raise Declined(_("La indemnización diaria (%(amount)s) supera el máximo del producto (%(max)s al día).")
                       % {"amount": fmt_eur(allowance), "max": fmt_eur(max_allowance)})
    premium = Decimal("0")
    breakdown = []
    for capital, param, label in ((death, "death_per_mille", _("Fallecimiento")),
                                  (disability, "disability_per_mille", _("Incapacidad permanente"))):
        if not capital:
            continue
        per_mille = table.param(param)
        part = capital * per_mille / THOUSAND
        premium += part
        breakdown.append((_("%(label)s %(capital)s al %(rate)s ‰") % {
            "label": label, "capital": fmt_eur(capital), "rate": fmt_number(per_mille)}, "+ " + fmt_eur(part)))
    class_factor = table.factor("risk_class", risk["risk_class"])
    premium *= class_factor
    breakdown.append((_("Clase de riesgo %(cls)s") % {"cls": risk_class}, fmt_factor(class_factor)))
    scope_factor = table.factor("cover_scope", risk["cover_scope"])
    premium *= scope_factor
    breakdown.append((str(dict(COVER_SCOPE_CHOICES)[risk["cover_scope"]]), fmt_factor(scope_factor)))
    if allowance:
        allowance_rate = table.param("allowance_rate")
        part = allowance * allowance_rate
        premium += part
        breakdown.append((_("Hospitalización %(amount)s/día × %(rate)s") % {
            "amount": fmt_eur(allowance), "rate": fmt_number(allowance_rate)}, "+ " + fmt_eur(part)))
    if table.base_premium:
        premium += table.base_premium
        breakdown.append((_("Gastos de gestión de la póliza"), "+ " + fmt_eur(table.base_premium)))
    net = money(premium)
    breakdown.append((_("Prima neta"), fmt_eur(net)))
    return LineRating(net_premium=net, breakdown=breakdown)
