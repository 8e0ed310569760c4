"""What accounting puts in the global search: issued and received invoices, for whoever may read invoices
(the invoice lists have no per-owner rule)."""
from django.utils.translation import gettext_lazy as _

from apps.accounting.models import Invoice
from apps.search.sources import SearchSource, register_source


def _title(invoice) -> str:
    return str(invoice)  # a draft has no number yet: «Borrador #12»


register_source(SearchSource(
    kind="invoice", label=_("Facturas"), model=Invoice, title=_title,
    subtitle=("party_name", "get_kind_display", "get_state_display"),
    body=("party_tax_id", "notes"), url="accounting:invoice-detail",
    visible=lambda user: Invoice.objects.all(), permission="accounting.view_invoice",
    icon="bi-file-earmark-ruled", order=50,
))
