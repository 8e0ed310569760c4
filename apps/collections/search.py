"""What collections puts in the global search: receipts (a Comercial: their clients' receipts, as on the
receipt list). A policy's events refresh its receipts (issuing one generates them)."""
from django.utils.translation import gettext_lazy as _

from apps.collections.models import Receipt
from apps.collections.selectors_pages import receipts_for
from apps.search.sources import SearchSource, register_source

register_source(SearchSource(
    kind="receipt", label=_("Recibos"), model=Receipt, title="number",
    subtitle=("policyholder__display_name", "policy__number", "get_state_display"),
    body=("insurer_number", "insurer__name"),
    url="collections:receipt-detail", visible=receipts_for, permission="collections.view_receipt",
    icon="bi-receipt", order=30, select_related=("policyholder", "policy", "insurer"),
    follows=(("crm.party", "policyholder"), ("insurance.policy", "policy")),
    events={"collections.receipts.generated":
            lambda payload: Receipt.objects.filter(policy_id__in=payload.get("policies") or [])},
))
