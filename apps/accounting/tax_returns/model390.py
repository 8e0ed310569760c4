"""Modelo 390 (IVA, declaración-resumen anual): the 303 figures over the whole year.

Box numbers follow the AEAT design of the 390 in force for 2024 and later: IVA devengado en
régimen ordinario 0 % [700]/[701], 2 % [667]/[668], 4 % [01]/[02], 5 % [702]/[703], 10 % [03]/[04],
21 % [05]/[06]; modificación de bases y cuotas [29]/[30]; recargo de equivalencia 0 % [663]/[664],
0,26 % [691]/[692], 0,5 % [35]/[36], 0,62 % [665]/[666], 1 % [693]/[694], 1,4 % [599]/[600],
5,2 % [601]/[602], 1,75 % [41]/[42] and its modification [43]/[44]; [47] total cuotas devengadas.
IVA deducible en operaciones interiores corrientes 2 % [695]/[696], 4 % [190]/[191], 5 % [724]/[725],
10 % [603]/[604], 21 % [605]/[606], total [48]/[49]; rectificación de deducciones [639]/[62];
[64] suma de deducciones; [65] resultado régimen general = [47] − [64]; [84] suma de resultados,
[85] compensación de cuotas del ejercicio anterior, [86] resultado de la liquidación; volumen de
operaciones [99] régimen general, [103] entregas intracomunitarias exentas, [104] exportaciones y
otras exentas con derecho a deducción, [105] exentas sin derecho a deducción (the brokerage's
commissions), [108] total; [230] adquisiciones interiores exentas. The same mapping decisions
as the 303 apply (see apps.accounting.tax_returns.model303), and the page lists the four
quarterly 303 results next to it.
"""
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.accounting.tax_returns.common import ZERO, Section, box_values, pct, rate_key
from apps.accounting.tax_returns.model303 import model_303, vat_totals
from apps.accounting.tax_returns.periods import tax_period

OUTPUT = [("0", "700", "701"), ("2", "667", "668"), ("4", "01", "02"), ("5", "702", "703"), ("10", "03", "04"),
          ("21", "05", "06")]
SURCHARGE = [("0", "663", "664"), ("0.26", "691", "692"), ("0.5", "35", "36"), ("0.62", "665", "666"),
             ("1", "693", "694"), ("1.4", "599", "600"), ("5.2", "601", "602"), ("1.75", "41", "42")]
DEDUCTIBLE = [("2", "695", "696"), ("4", "190", "191"), ("5", "724", "725"), ("10", "603", "604"),
              ("21", "605", "606")]


def _rows(section: Section, table, amounts: dict, label: str, warnings: list) -> tuple[Decimal, Decimal]:
    known = {rate_key(rate) for rate, *_boxes in table}
    for rate, (base, quota) in amounts.items():
        if rate not in known and (base or quota):
            warnings.append(_("%(label)s al %(rate)s %% no tiene casilla en el modelo 390: revise esas facturas.")
                            % {"label": label, "rate": pct(rate)})
    base_total = quota_total = ZERO
    for rate, base_box, quota_box in table:
        base, quota = amounts.get(rate_key(rate), (ZERO, ZERO))
        section.add(base_box, _("%(label)s %(rate)s %% · base imponible") % {"label": label, "rate": pct(rate)}, base)
        section.add(quota_box, _("%(label)s %(rate)s %% · cuota") % {"label": label, "rate": pct(rate)}, quota)
        base_total += base
        quota_total += quota
    return base_total, quota_total


def model_390(*, year) -> dict:
    tp = tax_period(year, "0A")
    totals = vat_totals(date_from=tp.date_from, date_to=tp.date_to)
    warnings: list[str] = []

    accrued = Section(_("IVA devengado · Régimen ordinario"))
    _b, quota = _rows(accrued, OUTPUT, totals.output, _("IVA"), warnings)
    accrued.add("29", _("Modificación de bases (rectificativas)"), totals.output_rect[0])
    accrued.add("30", _("Modificación de cuotas (rectificativas)"), totals.output_rect[1])
    _b, surcharge_quota = _rows(accrued, SURCHARGE, totals.surcharge, _("Recargo de equivalencia"), warnings)
    accrued.add("43", _("Modificación de recargo de equivalencia · base"), totals.surcharge_rect[0])
    accrued.add("44", _("Modificación de recargo de equivalencia · cuota"), totals.surcharge_rect[1])
    accrued_total = quota + totals.output_rect[1] + surcharge_quota + totals.surcharge_rect[1]
    accrued.add("47", _("Total cuotas de IVA y recargo de equivalencia"), accrued_total, total=True)

    deductible = Section(_("IVA deducible"))
    base_in, quota_in = _rows(deductible, DEDUCTIBLE, totals.deductible,
                              _("Operaciones interiores corrientes"), warnings)
    deductible.add("48", _("Total operaciones interiores corrientes · base imponible"), base_in, total=True)
    deductible.add("49", _("Total operaciones interiores corrientes · cuota deducible"), quota_in, total=True)
    deductible.add("639", _("Rectificación de deducciones · base imponible"), totals.deductible_rect[0])
    deductible.add("62", _("Rectificación de deducciones · cuota"), totals.deductible_rect[1])
    deductions = quota_in + totals.deductible_rect[1]
    deductible.add("64", _("Suma de deducciones"), deductions, total=True)
    general = deductible.add("65", _("Resultado régimen general ([47] − [64])"), accrued_total - deductions,
                             total=True)

    result = Section(_("Resultado de la liquidación anual"))
    result.add("84", _("Suma de resultados"), general.value)
    result.add("85", _("Compensación de cuotas del ejercicio anterior"), ZERO)
    final = result.add("86", _("Resultado de la liquidación ([84] − [85])"), general.value, total=True)

    volume = Section(_("Volumen de operaciones"))
    regular = volume.add("99", _("Operaciones en régimen general"), totals.general_regime_volume)
    intra = volume.add("103", _("Entregas intracomunitarias exentas"), totals.exempt_intra_eu)
    exports = volume.add("104", _("Exportaciones y otras operaciones exentas con derecho a deducción"),
                         totals.exempt_exports)
    exempt = volume.add("105", _("Operaciones exentas sin derecho a deducción"), totals.exempt_without_deduction)
    volume.add("108", _("Total volumen de operaciones"), regular.value + intra.value + exports.value + exempt.value,
               total=True)

    specific = Section(_("Operaciones específicas"))
    specific.add("230", _("Adquisiciones interiores exentas"), totals.exempt_purchases)

    quarters = []
    for code in ("1T", "2T", "3T", "4T"):
        q303 = model_303(year=tp.year, period=code)
        quarters.append({"period": q303["period"], "accrued": q303["boxes"]["27"], "deductible": q303["boxes"]["45"],
                         "result": q303["boxes"]["71"], "result_label": q303["result_label"]})
    sections = [accrued, deductible, result, volume, specific]
    return {"model": "390", "period": tp, "sections": sections, "boxes": box_values(sections), "warnings": warnings,
            "result": final.value, "quarters": quarters}
