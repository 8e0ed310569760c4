"""What claims puts in the global search: claims (a Comercial: their clients' claims, as on the claim list)."""
from django.utils.translation import gettext_lazy as _

from apps.claims.models import Claim
from apps.claims.selectors import claims_for
from apps.search.sources import SearchSource, register_source

register_source(SearchSource(
    kind="claim", label=_("Siniestros"), model=Claim, title="number",
    subtitle=("policyholder__display_name", "policy__number", "get_state_display"),
    body=("insurer_claim_number", "coverage_name", "description", "location", "insurer__name"),
    url="claims:claim-detail", visible=claims_for, permission="claims.view_claim",
    icon="bi-exclamation-triangle", order=40, select_related=("policyholder", "policy", "insurer"),
    follows=(("crm.party", "policyholder"),),
))
