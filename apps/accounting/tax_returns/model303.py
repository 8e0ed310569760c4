"""Modelo 303 (IVA, autoliquidación) from the validated invoices of a month or quarter.

Box numbering follows the AEAT design in force since the 2024 changes (registro T303, página 01
and 03): IVA devengado en régimen general per rate, with the 0 % row [150]-[152], the 2 % row
[165]-[167] and the 5 % row [153]-[155] next to the classic [01]-[09]; recargo de equivalencia
1,75 % [156]-[158], 0,5 % [168]-[170], 0 %/0,62 %/1 % [16]-[18], 1,4 % [19]-[21] and 5,2 %
[22]-[24]; [27] total cuota devengada; [28]/[29] IVA deducible en operaciones interiores
corrientes; [45] total a deducir; [46] = [27] - [45]; then the result: [64] suma de resultados,
[65]/[66] atribuible a la Administración del Estado (100 %, territorio común), [69] resultado
de la autoliquidación = [66] + [77] - [78] + [68] and [71] resultado de la liquidación = [69] - [70].

Mapping decisions (what the books hold):
- Rectifying invoices (they reference the invoice they rectify) do not net into the rate rows:
  issued ones go to [14]/[15] «modificación de bases y cuotas» ([25]/[26] for their recargo),
  received ones to [40]/[41] «rectificación de deducciones», with their sign.
- Exempt issued lines (the brokerage's mediation commissions, art. 20.Uno.16º LIVA, cause E1)
  are «operaciones exentas sin derecho a deducción»: box [83] of the annual block of the 303
  («información adicional», last period of those exonerated from the 390, with [80] operaciones
  en régimen general and [88] total volumen de operaciones). In months and quarters 1T-3T the
  block shows the period's figures as information; in 4T/12 it shows the whole year's, as filed.
  Exempt causes E2-E4 (exports, arts. 21-24) go to [60] and [94], E5 (art. 25) to [59] and [93].
- Received lines with 0 % or exempt VAT have no deductible quota and stay out of [28].
  The recargo de equivalencia charged to us by a supplier is added to [29], as the AEAT
  programs do.
- Not generated (no data for them in the books): intracommunity acquisitions and reverse
  charge [10]-[13], investment goods and imports [30]-[39], [42]-[44] (the prorrata regularisation
  is the adviser's: a brokerage with exempt commissions deducts in the prorrata percentage,
  art. 102-106 LIVA, and the page warns about it), compensation of previous periods [78]/[110]
  and complementary returns [70]: those are entered on the AEAT form by hand.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.accounting.choices import InvoiceKind, TaxKind
from apps.accounting.errors import AccountingError
from apps.accounting.tax_returns.common import RATE, ZERO, Section, box_values, pct, rate_key
from apps.accounting.tax_returns.periods import TaxPeriod, tax_period
from apps.accounting.tax_returns.vat import vat_groups

HUNDRED = Decimal("100")
# rates -> (base box, rate box, quota box, rate shown)
OUTPUT_ROWS = [
    (("0",), "150", "151", "152", "0"),
    (("2",), "165", "166", "167", "2"),
    (("4",), "01", "02", "03", "4"),
    (("5", "7.5"), "153", "154", "155", "5"),
    (("10",), "04", "05", "06", "10"),
    (("21",), "07", "08", "09", "21"),
]
SURCHARGE_ROWS = [
    (("1.75",), "156", "157", "158", "1.75"),
    (("0.26", "0.5"), "168", "169", "170", "0.5"),
    (("0", "0.62", "1"), "16", "17", "18", "1"),
    (("1.4",), "19", "20", "21", "1.4"),
    (("5.2",), "22", "23", "24", "5.2"),
]
EXEMPT_WITHOUT_DEDUCTION = {"E1", "E6", ""}  # art. 20 LIVA and other exemptions
EXPORT_CAUSES = {"E2", "E3", "E4"}  # arts. 21 to 24 LIVA
INTRA_EU_CAUSE = "E5"  # art. 25 LIVA


@dataclass
class VatTotals:
    """Validated invoice lines of a span classified the way both the 303 and the 390 need."""

    output: dict = field(default_factory=lambda: defaultdict(lambda: [ZERO, ZERO]))  # rate -> [base, quota]
    output_rect: list = field(default_factory=lambda: [ZERO, ZERO])
    surcharge: dict = field(default_factory=lambda: defaultdict(lambda: [ZERO, ZERO]))
    surcharge_rect: list = field(default_factory=lambda: [ZERO, ZERO])
    deductible: dict = field(default_factory=lambda: defaultdict(lambda: [ZERO, ZERO]))
    deductible_rect: list = field(default_factory=lambda: [ZERO, ZERO])
    exempt: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))  # cause -> base
    exempt_purchases: Decimal = ZERO
    not_subject_sales: Decimal = ZERO
    not_subject_purchases: Decimal = ZERO

    @property
    def exempt_without_deduction(self) -> Decimal:
        return sum((v for k, v in self.exempt.items() if k in EXEMPT_WITHOUT_DEDUCTION), ZERO)

    @property
    def exempt_exports(self) -> Decimal:
        return sum((v for k, v in self.exempt.items() if k in EXPORT_CAUSES), ZERO)

    @property
    def exempt_intra_eu(self) -> Decimal:
        return self.exempt.get(INTRA_EU_CAUSE, ZERO)

    @property
    def general_regime_volume(self) -> Decimal:
        return sum((base for base, _q in self.output.values()), ZERO) + self.output_rect[0]


def _add(target: list, base: Decimal, quota: Decimal) -> None:
    target[0] += base
    target[1] += quota


def vat_totals(*, date_from, date_to) -> VatTotals:
    totals = VatTotals()
    for group in vat_groups(date_from=date_from, date_to=date_to):
        vat, surcharge = group.vat, group.surcharge
        issued = group.kind == InvoiceKind.ISSUED
        if vat is None:
            if issued:
                totals.not_subject_sales += group.base
            else:
                totals.not_subject_purchases += group.base
        elif vat.kind == TaxKind.VAT_EXEMPT:
            if issued:
                totals.exempt[vat.exemption_cause or "E6"] += group.base
            else:
                totals.exempt_purchases += group.base
        elif issued:
            _add(totals.output_rect if group.rectifying else totals.output[rate_key(vat.rate)],
                 group.base, group.vat_amount)
        elif vat.rate:
            _add(totals.deductible_rect if group.rectifying else totals.deductible[rate_key(vat.rate)],
                 group.base, group.vat_amount + group.surcharge_amount)
        else:
            totals.exempt_purchases += group.base
        if surcharge is not None and issued:
            _add(totals.surcharge_rect if group.rectifying else totals.surcharge[rate_key(surcharge.rate)],
                 group.base, group.surcharge_amount)
    return totals


def _rate_rows(section: Section, rows, amounts: dict, label, warnings: list, what) -> Decimal:
    """Adds the base/rate/quota boxes of each row; returns the quota total. Unknown rates warn."""
    known = {rate_key(rate) for rates, *_rest in rows for rate in rates}
    for rate, (base, quota) in amounts.items():
        if rate not in known and (base or quota):
            warnings.append(_("%(what)s al %(rate)s %% no tiene casilla en el modelo: revise esas facturas.")
                            % {"what": what, "rate": pct(rate)})
    quota_total = ZERO
    for rates, base_box, rate_box, quota_box, shown in rows:
        base = sum((amounts[rate_key(r)][0] for r in rates if rate_key(r) in amounts), ZERO)
        quota = sum((amounts[rate_key(r)][1] for r in rates if rate_key(r) in amounts), ZERO)
        rates_text = " / ".join(f"{pct(r)} %" for r in rates)
        section.add(base_box, _("%(label)s %(pct)s · base imponible") % {"label": label, "pct": rates_text}, base)
        section.add(rate_box, _("Tipo %"), Decimal(shown), kind=RATE)
        section.add(quota_box, _("%(label)s %(pct)s · cuota") % {"label": label, "pct": rates_text}, quota)
        quota_total += quota
    return quota_total


def annual_block(section: Section, totals: VatTotals) -> None:
    """[80] … [88]: volumen de operaciones (303 «información adicional», exonerados del 390)."""
    volume = section.add("80", _("Operaciones en régimen general"), totals.general_regime_volume)
    intra = section.add("93", _("Entregas intracomunitarias exentas"), totals.exempt_intra_eu)
    exports = section.add("94", _("Exportaciones y otras operaciones exentas con derecho a deducción"),
                          totals.exempt_exports)
    exempt = section.add("83", _("Operaciones exentas sin derecho a deducción"), totals.exempt_without_deduction)
    section.add("88", _("Total volumen de operaciones"), volume.value + intra.value + exports.value + exempt.value,
                total=True)


def model_303(*, year, period: str) -> dict:
    """The 303 of a month or quarter: sections of boxes, the box values by number and warnings."""
    tp: TaxPeriod = tax_period(year, period)
    if tp.is_annual:
        raise AccountingError(_("El modelo 303 es mensual o trimestral: elija un mes o un trimestre."), field="period")
    totals = vat_totals(date_from=tp.date_from, date_to=tp.date_to)
    warnings: list[str] = []

    accrued = Section(_("IVA devengado · Régimen general"))
    quota = _rate_rows(accrued, OUTPUT_ROWS, totals.output, _("IVA"), warnings, _("El IVA repercutido"))
    accrued.add("14", _("Modificación de bases y cuotas (rectificativas) · base imponible"), totals.output_rect[0])
    accrued.add("15", _("Modificación de bases y cuotas (rectificativas) · cuota"), totals.output_rect[1])
    quota += totals.output_rect[1]
    quota += _rate_rows(accrued, SURCHARGE_ROWS, totals.surcharge, _("Recargo de equivalencia"), warnings,
                        _("El recargo de equivalencia"))
    accrued.add("25", _("Modificación de bases y cuotas del recargo de equivalencia · base imponible"),
                totals.surcharge_rect[0])
    accrued.add("26", _("Modificación de bases y cuotas del recargo de equivalencia · cuota"), totals.surcharge_rect[1])
    quota += totals.surcharge_rect[1]
    accrued.add("27", _("Total cuota devengada"), quota, total=True)

    deductible = Section(_("IVA deducible"))
    base_in = sum((b for b, _q in totals.deductible.values()), ZERO)
    quota_in = sum((q for _b, q in totals.deductible.values()), ZERO)
    deductible.add("28", _("Por cuotas soportadas en operaciones interiores corrientes · base"), base_in)
    deductible.add("29", _("Por cuotas soportadas en operaciones interiores corrientes · cuota"), quota_in)
    deductible.add("40", _("Rectificación de deducciones · base"), totals.deductible_rect[0])
    deductible.add("41", _("Rectificación de deducciones · cuota"), totals.deductible_rect[1])
    to_deduct = quota_in + totals.deductible_rect[1]
    deductible.add("45", _("Total a deducir"), to_deduct, total=True)
    general = deductible.add("46", _("Resultado régimen general ([27] − [45])"), quota - to_deduct, total=True)

    info = Section(_("Información adicional"))
    info.add("59", _("Entregas intracomunitarias de bienes y servicios"), totals.exempt_intra_eu)
    info.add("60", _("Exportaciones y operaciones asimiladas"), totals.exempt_exports)

    result = Section(_("Resultado"))
    result.add("64", _("Suma de resultados ([46])"), general.value)
    result.add("65", _("% atribuible a la Administración del Estado"), HUNDRED, kind=RATE)
    state = result.add("66", _("Atribuible a la Administración del Estado"), general.value)
    result.add("77", _("IVA a la importación liquidado por la Aduana pendiente de ingreso"), ZERO)
    result.add("78", _("Cuotas a compensar de periodos anteriores aplicadas en este periodo"), ZERO)
    result.add("68", _("Resultado de la regularización anual (tributación conjunta)"), ZERO)
    self_assessed = result.add("69", _("Resultado de la autoliquidación ([66] + [77] − [78] + [68])"), state.value,
                               total=True)
    result.add("70", _("A deducir (resultados de autoliquidaciones anteriores del periodo)"), ZERO)
    final = result.add("71", _("Resultado de la liquidación ([69] − [70])"), self_assessed.value, total=True)

    annual_totals = vat_totals(date_from=tp.date_from.replace(month=1, day=1), date_to=tp.date_to) \
        if tp.is_last_of_year else totals
    annual = Section(_("Volumen de operaciones del ejercicio") if tp.is_last_of_year
                     else _("Volumen de operaciones del periodo (informativo)"),
                     note=_("Casillas del último periodo para quienes están exonerados del modelo 390; en 4T y "
                            "diciembre se muestran las cifras de todo el año.") if not tp.is_last_of_year else
                     _("Se presenta en este periodo solo si está exonerado del modelo 390."))
    annual_block(annual, annual_totals)

    if totals.exempt_without_deduction and quota_in:
        warnings.append(_("Hay operaciones exentas sin derecho a deducción (p. ej. comisiones de mediación) y IVA "
                          "soportado: salvo sectores diferenciados, solo es deducible el porcentaje de prorrata "
                          "(arts. 102 a 106 LIVA). Este borrador deduce el 100 %: revise la casilla [44] con su "
                          "asesor."))
    if totals.not_subject_sales or totals.not_subject_purchases:
        warnings.append(_("Hay líneas de factura sin IVA ni exención (no sujetas): no figuran en el modelo; revise si "
                          "van en la casilla [120] o [122]."))
    sections = [accrued, deductible, info, result, annual]
    return {
        "model": "303", "period": tp, "sections": sections, "boxes": box_values(sections), "warnings": warnings,
        "result": final.value, "result_label": _result_label(final.value, tp),
    }


def _result_label(value: Decimal, tp: TaxPeriod) -> str:
    if value > 0:
        return _("A ingresar")
    if value < 0:
        return _("A devolver o a compensar") if tp.is_last_of_year else _("A compensar")
    return _("Resultado cero / sin actividad")

