"""Empresas rating: for each premises its capital (building + contents + stock) × the rate per
mille × its fire protection (extinguishers, sprinklers, alarm), summed and × the activity group;
plus the policy's base premium, the RC de explotación (by limit × turnover band) and the pérdida
de beneficios (daily amount × indemnity days × its rate per mille). All from the tariff."""
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.insurance.rating import Declined, LineRating, RatingInput, money
from apps.lines.common import amount, fmt_eur, fmt_factor, fmt_number

from .cnae import cnae_group, group_label
from .risk import premises_capital

THOUSAND = Decimal("1000")
PROTECTIONS = (("extinguishers", _l("extintores")), ("sprinklers", _l("rociadores")), ("alarm", _l("alarma")))


def rate(inp: RatingInput) -> LineRating:
    table, risk = inp.tariff, inp.risk
    group = cnae_group(risk["cnae"])
    group_factor = table.factor("activity_group", group, default="0")
    if not group_factor:
        raise Declined(_("El producto no asegura actividades del grupo «%(group)s» (CNAE %(code)s).")
                       % {"group": group_label(group), "code": risk["cnae"]})
    rate_per_mille = table.param("rate_per_mille")
    require_extinguishers = table.param("require_extinguishers", "0")
    max_capital = table.param("max_premises_capital", "0")
    breakdown = []
    premises_total = Decimal("0")
    for index, premises in enumerate(risk.get("premises") or [], start=1):
        capital = premises_capital(premises)
        where = f"{premises['address']}, {premises['city']}"
        if require_extinguishers and not premises.get("extinguishers"):
            raise Declined(_("El local de %(where)s no tiene extintores y el producto los exige en todos los "
                             "locales.") % {"where": where})
        if max_capital and capital > max_capital:
            raise Declined(_("El capital del local de %(where)s (%(capital)s) supera el máximo por local del "
                             "producto (%(max)s).") % {"where": where, "capital": fmt_eur(capital),
                                                       "max": fmt_eur(max_capital)})
        protection = Decimal("1")
        for name, _label in PROTECTIONS:
            protection *= table.factor(name, bool(premises.get(name)))
        part = capital * rate_per_mille / THOUSAND * protection
        premises_total += part
        present = [str(label) for name, label in PROTECTIONS if premises.get(name)]
        breakdown.append((_("Local %(n)s · %(where)s: %(capital)s al %(rate)s ‰, protección %(protection)s "
                            "(%(present)s)") % {
            "n": index, "where": where, "capital": fmt_eur(capital), "rate": fmt_number(rate_per_mille),
            "protection": fmt_factor(protection), "present": ", ".join(present) or _("ninguna")},
            "+ " + fmt_eur(part)))
    premium = premises_total * group_factor
    breakdown.append((_("Actividad: %(group)s") % {"group": group_label(group)}, fmt_factor(group_factor)))
    if table.base_premium:
        premium += table.base_premium
        breakdown.append((_("Prima base de la póliza"), "+ " + fmt_eur(table.base_premium)))
    if risk.get("rc_limit"):
        turnover = amount(risk["annual_turnover"])
        rc_base = table.factor("rc_limit", risk["rc_limit"])
        turnover_factor = table.factor("turnover", turnover)
        part = rc_base * turnover_factor
        premium += part
        breakdown.append((_("RC de explotación %(limit)s: %(base)s × %(factor)s (facturación %(turnover)s)") % {
            "limit": fmt_eur(risk["rc_limit"]), "base": fmt_eur(rc_base), "factor": fmt_number(turnover_factor),
            "turnover": fmt_eur(turnover)}, "+ " + fmt_eur(part)))
    if risk.get("interruption"):
        daily = amount(risk.get("interruption_daily"))
        days = table.param("interruption_days")
        per_mille = table.param("interruption_per_mille")
        part = daily * days * per_mille / THOUSAND
        premium += part
        breakdown.append((_("Pérdida de beneficios %(daily)s/día × %(days)s días al %(rate)s ‰") % {
            "daily": fmt_eur(daily), "days": days, "rate": fmt_number(per_mille)}, "+ " + fmt_eur(part)))
    net = money(premium)
    breakdown.append((_("Prima neta"), fmt_eur(net)))
    return LineRating(net_premium=net, breakdown=breakdown)
