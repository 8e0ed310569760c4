"""Modelos 111 (retenciones de trabajo y actividades profesionales) and 115 (retenciones de
arrendamientos de inmuebles urbanos) from the posted entry lines.

Source: posted lines on the «withholding_payable» account (4751 and its subaccounts) that carry
a tax of kind «withholding». What we withheld is credit − debit (a rectifying invoice or a
reversal debits it back) and the base is the sum of the lines' tax_base (signed the same way).

- 115: lines whose tax is IRPF19 (rent of urban premises).
- 111: every other withholding tax. Lines of entries in a payroll journal (kind «payroll», NOM)
  are «rendimientos del trabajo» [01]-[03]; the rest (professionals' invoices, IRPF15/IRPF7)
  «rendimientos de actividades económicas» [07]-[09]. Payroll posting should therefore put the
  employee's IRPF on 4751 with a withholding tax and the gross salary as tax_base, one line per
  employee (party) so the number of recipients is right.
Boxes in kind, prizes, forestry gains and image rights ([04]-[06], [10]-[27]) have no source in
the books and stay at zero; complementary returns ([29] / [04]) are entered on the form.
"""
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounting.choices import JournalKind, TaxKind
from apps.accounting.errors import AccountingError
from apps.accounting.models import EntryLine
from apps.accounting.services.setup import mapped_account
from apps.accounting.tax_returns.common import COUNT, ZERO, Section, box_values
from apps.accounting.tax_returns.periods import tax_period

RENT_TAX_CODES = ("IRPF19",)
WORK, PROFESSIONAL, RENT = "work", "professional", "rent"
CATEGORY_LABELS = {WORK: gettext_lazy("Rendimientos del trabajo"), PROFESSIONAL: gettext_lazy("Actividades económicas"),
                   RENT: gettext_lazy("Arrendamientos")}


def withholding_detail(*, date_from, date_to) -> list[dict]:
    """Per recipient and category: name, NIF, base and amount withheld in the span. Three queries."""
    from apps.crm.models import Party

    account = mapped_account("withholding_payable")
    rows = (EntryLine.objects
            .filter(is_posted=True, date__gte=date_from, date__lte=date_to, tax__kind=TaxKind.WITHHOLDING,
                    account__code__startswith=account.code)
            .values("party_id", "tax__code", "entry__journal__kind")
            .annotate(base=Sum("tax_base"), debit=Sum("debit"), credit=Sum("credit"))
            .order_by("party_id", "tax__code"))
    merged = defaultdict(lambda: {"base": ZERO, "withheld": ZERO, "taxes": set()})
    for row in rows:
        if row["tax__code"] in RENT_TAX_CODES:
            category = RENT
        elif row["entry__journal__kind"] == JournalKind.PAYROLL:
            category = WORK
        else:
            category = PROFESSIONAL
        item = merged[(category, row["party_id"])]
        item["base"] += row["base"] or ZERO
        item["withheld"] += (row["credit"] or ZERO) - (row["debit"] or ZERO)
        item["taxes"].add(row["tax__code"])
    parties = Party.objects.in_bulk([party for _c, party in merged if party]) if merged else {}
    detail = []
    for (category, party_id), item in merged.items():
        if not item["base"] and not item["withheld"]:
            continue
        party = parties.get(party_id)
        detail.append({"category": category, "category_label": str(CATEGORY_LABELS[category]), "party_id": party_id,
                       "party_name": str(party) if party else _("(sin tercero)"),
                       "party_tax_id": (party.tax_id or "") if party else "", "base": item["base"],
                       "withheld": item["withheld"], "taxes": ", ".join(sorted(item["taxes"]))})
    detail.sort(key=lambda r: (r["category"], r["party_name"].upper()))
    return detail


def _quarter_or_month(year, period):
    tp = tax_period(year, period)
    if tp.is_annual:
        raise AccountingError(_("Los modelos 111 y 115 son mensuales o trimestrales: elija un mes o un trimestre."),
                              field="period")
    return tp


def _summary(detail, category):
    rows = [r for r in detail if r["category"] == category]
    recipients = len({r["party_id"] for r in rows if r["party_id"]}) + sum(1 for r in rows if not r["party_id"])
    return (recipients, sum((r["base"] for r in rows), ZERO), sum((r["withheld"] for r in rows), ZERO),
            any(not r["party_id"] for r in rows))


def _result(boxes_section: Section, total_box: str, deduct_box: str, result_box: str, total: Decimal) -> None:
    boxes_section.add(deduct_box, _("A deducir (solo si es complementaria)"), ZERO)
    boxes_section.add(result_box, _("Resultado a ingresar ([%(a)s] − [%(b)s])") % {"a": total_box, "b": deduct_box},
                      total, total=True)


def models_111_115(*, year, period: str) -> dict:
    """Both returns of the same month or quarter, with the recipients' detail."""
    tp = _quarter_or_month(year, period)
    detail = withholding_detail(date_from=tp.date_from, date_to=tp.date_to)
    warnings = []

    work = Section(_("Rendimientos del trabajo"))
    n, base, withheld, partyless_work = _summary(detail, WORK)
    work.add("01", _("Rendimientos dinerarios · nº de perceptores"), n, kind=COUNT)
    work.add("02", _("Rendimientos dinerarios · importe de las percepciones"), base)
    work.add("03", _("Rendimientos dinerarios · importe de las retenciones"), withheld)
    work.add("04", _("Rendimientos en especie · nº de perceptores"), 0, kind=COUNT)
    work.add("05", _("Rendimientos en especie · valor de las percepciones"), ZERO)
    work.add("06", _("Rendimientos en especie · importe de los ingresos a cuenta"), ZERO)
    business = Section(_("Rendimientos de actividades económicas"))
    n, base, withheld_business, partyless_business = _summary(detail, PROFESSIONAL)
    business.add("07", _("Rendimientos dinerarios · nº de perceptores"), n, kind=COUNT)
    business.add("08", _("Rendimientos dinerarios · importe de las percepciones"), base)
    business.add("09", _("Rendimientos dinerarios · importe de las retenciones"), withheld_business)
    business.add("10", _("Rendimientos en especie · nº de perceptores"), 0, kind=COUNT)
    business.add("11", _("Rendimientos en especie · valor de las percepciones"), ZERO)
    business.add("12", _("Rendimientos en especie · importe de los ingresos a cuenta"), ZERO)
    total_111 = Section(_("Total liquidación"), note=_("Premios, ganancias forestales y derechos de imagen "
                                                     "([13] a [27]) no se generan desde la contabilidad."))
    total = withheld + withheld_business
    total_111.add("28", _("Suma de retenciones e ingresos a cuenta"), total, total=True)
    _result(total_111, "28", "29", "30", total)

    rent = Section(_("Retenciones e ingresos a cuenta"))
    n, base, withheld_rent, partyless_rent = _summary(detail, RENT)
    rent.add("01", _("Nº de perceptores"), n, kind=COUNT)
    rent.add("02", _("Base de las retenciones e ingresos a cuenta"), base)
    rent.add("03", _("Retenciones e ingresos a cuenta"), withheld_rent, total=True)
    _result(rent, "03", "04", "05", withheld_rent)

    if partyless_work or partyless_business or partyless_rent:
        warnings.append(_("Hay retenciones contabilizadas sin tercero: cada apunte cuenta como un perceptor; "
                          "revise el número de perceptores."))
    sections_111, sections_115 = [work, business, total_111], [rent]
    return {
        "period": tp, "detail": detail, "warnings": warnings,
        "m111": {"model": "111", "sections": sections_111, "boxes": box_values(sections_111), "result": total},
        "m115": {"model": "115", "sections": sections_115, "boxes": box_values(sections_115), "result": withheld_rent},
    }
