"""Salud rating: each member's monthly rate by age × 12, × modality × copago, plus the dental
add-on per member and the policy fee. Rates and the entry age limit come from the tariff."""
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.insurance.rating import Declined, LineRating, RatingInput, money
from apps.lines.common import age_at, as_date, fmt_eur, fmt_factor

from .risk import MODALITY_CHOICES

MONTHS = Decimal("12")


def rate(inp: RatingInput) -> LineRating:
    table, risk, on = inp.tariff, inp.risk, inp.effective_date
    members = risk.get("members") or []
    max_age = table.param("max_age")
    breakdown = []
    monthly_total = Decimal("0")
    for member in members:
        age = age_at(as_date(member["birth_date"]), on)
        if age > max_age:
            raise Declined(_("%(name)s tiene %(age)s años el %(date)s y supera la edad máxima de contratación del "
                             "producto (%(max)s años).") % {"name": member["name"], "age": age,
                                                            "date": on.strftime("%d/%m/%Y"), "max": max_age})
        monthly = table.factor("age_monthly", age)
        monthly_total += monthly
        breakdown.append((_("%(name)s, %(age)s años: cuota mensual") % {"name": member["name"], "age": age},
                          fmt_eur(monthly)))
    premium = monthly_total * MONTHS
    breakdown.append((_("Cuota anual (%(monthly)s × 12)") % {"monthly": fmt_eur(monthly_total)}, fmt_eur(premium)))
    modality = table.factor("modality", risk["modality"])
    premium *= modality
    breakdown.append((str(dict(MODALITY_CHOICES).get(risk["modality"], risk["modality"])), fmt_factor(modality)))
    copago = table.factor("copago", bool(risk.get("copago")))
    premium *= copago
    breakdown.append((_("Con copago") if risk.get("copago") else _("Sin copago"), fmt_factor(copago)))
    if risk.get("dental"):
        dental = table.param("dental_per_member") * len(members)
        premium += dental
        breakdown.append((_("Cobertura dental (%(count)s asegurados × %(each)s)") % {
            "count": len(members), "each": fmt_eur(table.param("dental_per_member"))}, "+ " + fmt_eur(dental)))
    if table.base_premium:
        premium += table.base_premium
        breakdown.append((_("Gastos de gestión de la póliza"), "+ " + fmt_eur(table.base_premium)))
    net = money(premium)
    breakdown.append((_("Prima neta"), fmt_eur(net)))
    return LineRating(net_premium=net, breakdown=breakdown)
