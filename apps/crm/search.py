"""What the CRM puts in the global search: clients (parties), for whoever may read them (a Comercial: the
ones they manage, as on the client list)."""
from django.utils.translation import gettext_lazy as _

from apps.crm.models import Party
from apps.crm.selectors import parties_for
from apps.search.sources import SearchSource, register_source

register_source(SearchSource(
    kind="party", label=_("Clientes"), model=Party, title="display_name",
    subtitle=("tax_id", "get_kind_display", "get_status_display"),
    body=("company_name", "trade_name", "profession", "contacts__value"),
    url="ui:crm-party-detail", visible=parties_for, permission="crm.view_party", icon="bi-person-vcard", order=10,
    prefetch_related=("contacts",), follows=(("crm.contactpoint", "contacts"),),
))
