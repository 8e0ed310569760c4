"""Modelo 347 (declaración anual de operaciones con terceras personas).

Who is listed: every counterparty whose operations of the year, in one direction, add up to
more than 3.005,06 € (art. 32 RD 1065/2007: «hayan superado la cifra de 3.005,06 euros»; exactly
3.005,06 is not listed). Sales (issued invoices) are key B, purchases (received invoices) key A, each
totalled separately. Amounts include VAT and recargo de equivalencia (the «contraprestación
total»), rectifying invoices subtract, and the total is split by natural quarter.

Decisions (art. 33 RD 1065/2007 and the AEAT instructions):
- Invoices with an IRPF withholding are left out: operations whose payments are subject to
  withholding are reported in the 190 / 180 instead (art. 33.2.b).
- The brokerage's commissions charged to insurers are included (key B): they are services
  the brokerage provides, exempt from VAT but not excluded from the 347 (the exclusion of
  «operaciones de seguro» concerns the insurers' own insurance operations).
- Operations are imputed to the quarter of the date they are entered in the VAT books: the
  issue date for issued invoices, the registration date for received ones (art. 35).
- Cash received above 6.000 € and property rentals (art. 34) are not derived from invoices and
  must be completed by hand.
"""
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractQuarter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounting.choices import InvoiceKind, InvoiceState
from apps.accounting.models import Invoice
from apps.accounting.tax_returns.periods import tax_period
from apps.accounting.tax_returns.vat import book_date

ZERO = Decimal("0.00")
THRESHOLD = Decimal("3005.06")
KEYS = {InvoiceKind.RECEIVED: "A", InvoiceKind.ISSUED: "B"}
KEY_LABELS = {"A": gettext_lazy("A · Adquisiciones de bienes y servicios"),
              "B": gettext_lazy("B · Entregas de bienes y prestaciones de servicios")}


def model_347(*, year) -> dict:
    """Declared parties (above the threshold) with annual and quarterly totals; three queries."""
    from apps.crm.models import Party

    tp = tax_period(year, "0A")
    sums = (Invoice.objects
            .filter(state=InvoiceState.VALIDATED, withholding_total=0)
            .annotate(book_date=book_date())
            .filter(book_date__gte=tp.date_from, book_date__lte=tp.date_to)
            .annotate(quarter=ExtractQuarter("book_date"))
            .values("party_id", "kind", "quarter")
            .annotate(base=Sum("base_total"), vat=Sum("vat_total"), surcharge=Sum("surcharge_total"))
            .order_by("party_id", "kind", "quarter"))
    grouped: dict = {}
    for row in sums:
        item = grouped.setdefault((row["party_id"], row["kind"]), {"quarters": [ZERO] * 4})
        amount = (row["base"] or ZERO) + (row["vat"] or ZERO) + (row["surcharge"] or ZERO)
        item["quarters"][row["quarter"] - 1] += amount
    declared = {key: item for key, item in grouped.items() if sum(item["quarters"], ZERO) > THRESHOLD}
    parties = Party.objects.in_bulk([party_id for party_id, _k in declared]) if declared else {}
    rows, warnings = [], []
    for (party_id, kind), item in declared.items():
        party = parties[party_id]
        rows.append({"key": KEYS[kind], "party_id": party_id, "party_name": str(party),
                     "party_tax_id": party.tax_id or "", "total": sum(item["quarters"], ZERO),
                     "q1": item["quarters"][0], "q2": item["quarters"][1], "q3": item["quarters"][2],
                     "q4": item["quarters"][3]})
        if not party.tax_id:
            warnings.append(_("%s no tiene NIF: complételo en su ficha antes de presentar el modelo 347.") % party)
    rows.sort(key=lambda r: (r["key"], r["party_name"].upper(), r["party_id"]))
    totals = {key: {"count": sum(1 for r in rows if r["key"] == key),
                    "total": sum((r["total"] for r in rows if r["key"] == key), ZERO)} for key in ("A", "B")}
    return {"model": "347", "period": tp, "rows": rows, "totals": totals, "warnings": sorted(warnings),
            "threshold": THRESHOLD, "below_threshold": len(grouped) - len(declared)}
