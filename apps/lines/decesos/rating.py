"""Decesos rating: for each member the annual rate of their age band (the age at the effective
date for a natural premium, the entry age for a level premium), summed, × premium type × service
level × province, plus the policy fee. Rates and the entry age limit come from the tariff."""
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.insurance.rating import Declined, LineRating, RatingInput, money
from apps.lines.common import age_at, as_date, fmt_eur, fmt_factor, province_code

from .risk import PREMIUM_TYPE_CHOICES, SERVICE_LEVEL_CHOICES


def member_ages(member: dict, on) -> tuple[int, int]:
    """(age at `on`, entry age): the entry age is the age at the member's entry date when it is
    earlier than `on` (a member already insured), else the age at `on`."""
    birth = as_date(member["birth_date"])
    entry = as_date(member["entry_date"]) if member.get("entry_date") else on
    return age_at(birth, on), age_at(birth, min(entry, on))


def rate(inp: RatingInput) -> LineRating:
    table, risk, on = inp.tariff, inp.risk, inp.effective_date
    members = risk.get("members") or []
    level = risk["premium_type"] == "nivelada"
    max_entry_age = table.param("max_entry_age")
    breakdown = []
    total = Decimal("0")
    for member in members:
        age, entry_age = member_ages(member, on)
        if entry_age > max_entry_age:
            raise Declined(_("%(name)s tiene %(age)s años el %(date)s y supera la edad máxima de entrada del "
                             "producto (%(max)s años).") % {"name": member["name"], "age": entry_age,
                                                            "date": on.strftime("%d/%m/%Y"), "max": max_entry_age})
        rated_age = entry_age if level else age
        annual = table.factor("age_annual", rated_age)
        total += annual
        if level:
            label = _("%(name)s, %(age)s años (edad de entrada %(entry)s): prima anual") % {
                "name": member["name"], "age": age, "entry": entry_age}
        else:
            label = _("%(name)s, %(age)s años: prima anual") % {"name": member["name"], "age": age}
        breakdown.append((label, fmt_eur(annual)))
    premium = total
    breakdown.append((_("Suma de %(count)s asegurado(s)") % {"count": len(members)}, fmt_eur(premium)))

    def apply(label, factor):
        nonlocal premium
        premium = premium * factor
        breakdown.append((label, fmt_factor(factor)))

    apply(str(dict(PREMIUM_TYPE_CHOICES)[risk["premium_type"]]), table.factor("premium_type", risk["premium_type"]))
    apply(str(dict(SERVICE_LEVEL_CHOICES)[risk["service_level"]]),
          table.factor("service_level", risk["service_level"]))
    province = province_code(risk["postal_code"])
    apply(_("Provincia del servicio %(code)s") % {"code": province}, table.factor("province", province, default="1"))
    if table.base_premium:
        premium += table.base_premium
        breakdown.append((_("Gastos de gestión de la póliza"), "+ " + fmt_eur(table.base_premium)))
    net = money(premium)
    breakdown.append((_("Prima neta"), fmt_eur(net)))
    return LineRating(net_premium=net, breakdown=breakdown)
