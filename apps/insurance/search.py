"""What insurance puts in the global search: policies (a Comercial: their clients' policies, as on the
policy list) and the insurers of the catalog."""
from django.utils.translation import gettext_lazy as _

from apps.insurance.models import Insurer, Policy
from apps.insurance.selectors_policies import policies_for
from apps.search.sources import SearchSource, register_source

register_source(SearchSource(
    kind="policy", label=_("Pólizas"), model=Policy, title="number",
    subtitle=("policyholder__display_name", "insurer__name", "get_state_display"),
    body=("risk_summary", "product__name", "line__name", "policyholder__tax_id"),
    url="insurance:policy-detail", visible=policies_for, permission="insurance.view_policy",
    icon="bi-file-earmark-text", order=20, select_related=("policyholder", "insurer", "product", "line"),
    follows=(("crm.party", "policyholder"), ("insurance.insurer", "insurer")),
))
register_source(SearchSource(
    kind="insurer", label=_("Compañías"), model=Insurer, title="name", subtitle=("legal_name", "tax_id"),
    body=("dgsfp_code",), url="insurance:insurer-detail", visible=lambda user: Insurer.objects.all(),
    permission="insurance.view_insurer", icon="bi-building", order=70,
))
