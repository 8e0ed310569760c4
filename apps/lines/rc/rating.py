"""RC rating: base × activity × limit per claim × turnover band × deductible × extensions
(productos, post-trabajos), plus RC patronal per employee × the per-victim sublimit. Factors and
the size limits come from the product's tariff."""
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.insurance.rating import Declined, LineRating, RatingInput, money
from apps.lines.common import amount, fmt_eur, fmt_factor, fmt_number

from .risk import DEDUCTIBLE_CHOICES, activity_label


def rate(inp: RatingInput) -> LineRating:
    table, risk = inp.tariff, inp.risk
    turnover, employees = amount(risk["annual_turnover"]), int(risk["employees"])
    activity = risk["activity"]
    activity_factor = table.factor("activity", activity, default="0")
    if not activity_factor:
        raise Declined(_("El producto no asegura la actividad «%(activity)s».") % {
            "activity": activity_label(activity)})
    max_turnover = table.param("max_turnover", "0")
    if max_turnover and turnover > max_turnover:
        raise Declined(_("La facturación (%(turnover)s) supera el máximo que acepta el producto (%(max)s).")
                       % {"turnover": fmt_eur(turnover), "max": fmt_eur(max_turnover)})
    max_employees = table.param("max_employees", "0")
    if max_employees and employees > max_employees:
        raise Declined(_("La plantilla (%(employees)s empleados) supera el máximo que acepta el producto "
                         "(%(max)s).") % {"employees": employees, "max": max_employees})
    premium = table.base_premium
    breakdown = [(_("Prima base"), fmt_eur(premium))]

    def apply(label, factor):
        nonlocal premium
        premium = premium * factor
        breakdown.append((label, fmt_factor(factor)))

    apply(_("Actividad: %(activity)s") % {"activity": activity_label(activity)}, activity_factor)
    apply(_("Límite por siniestro %(limit)s") % {"limit": fmt_eur(risk["limit"])}, table.factor("limit", risk["limit"]))
    apply(_("Facturación %(turnover)s") % {"turnover": fmt_eur(turnover)}, table.factor("turnover", turnover))
    apply(_("Franquicia: %(deductible)s") % {"deductible": dict(DEDUCTIBLE_CHOICES)[risk["deductible"]]},
          table.factor("deductible", risk["deductible"]))
    if risk.get("products"):
        apply(_("RC de productos"), table.factor("products", True))
    if risk.get("post_works"):
        apply(_("RC post-trabajos"), table.factor("post_works", True))
    if risk.get("patronal"):
        per_employee = table.param("patronal_per_employee")
        sublimit_factor = table.factor("victim_sublimit", risk["victim_sublimit"])
        part = Decimal(employees) * per_employee * sublimit_factor
        premium += part
        breakdown.append((_("RC patronal: %(employees)s empleados × %(each)s × %(factor)s (sublímite %(sublimit)s "
                            "por víctima)") % {"employees": employees, "each": fmt_eur(per_employee),
                                               "factor": fmt_number(sublimit_factor),
                                               "sublimit": fmt_eur(risk["victim_sublimit"])}, "+ " + fmt_eur(part)))
    net = money(premium)
    breakdown.append((_("Prima neta"), fmt_eur(net)))
    return LineRating(net_premium=net, breakdown=breakdown)
