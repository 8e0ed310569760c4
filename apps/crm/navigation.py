from django.utils.translation import gettext_lazy as _

from aitcore.registry import MenuEntry, registry
from apps.core.resources import Resource
from apps.crm.api import views as api
from apps.crm.demo import crm_demo_seed
from apps.crm.models import Party, Tag
from apps.crm.selectors import party_360_context

CRM = _("Clientes")

parties = Resource(
    model=Party, section=CRM, icon="bi-person-vcard",
    list_fields=["display_name", "tax_id", "kind", "status", "account_manager", "created_at"],
    search_fields=["display_name", "tax_id", "contacts__normalized"],
    filter_fields=["kind", "status", "account_manager", "tags", "preferred_language"],
    detail_fields=["kind", "status", "tax_id", "birth_date", "gender", "profession", "cnae", "preferred_language",
                   "preferred_channel", "account_manager", "notes"],
    owner_field="account_manager", select_related=("account_manager",), default_ordering=("display_name",),
    can_create=False, can_edit=False, can_delete=False, menu_order=10,
    create_url_name="crm:party-create", update_url_name="crm:party-update",
    detail_template="crm/party_360.html", detail_context=party_360_context,
)
tags = Resource(
    model=Tag, section=CRM, icon="bi-tags", list_fields=["name", "color"], search_fields=["name"],
    form_fields=["name", "color"], default_ordering=("name",), menu_order=90,
)
registry.register_menu(MenuEntry(CRM, _("Mi día"), "crm:my-day", "bi-sun", "crm.view_activity", 5))
registry.register_menu(MenuEntry(CRM, _("Oportunidades"), "crm:opportunity-board", "bi-kanban", "crm.view_opportunity", 20))
registry.register_menu(MenuEntry(CRM, _("Contactos comerciales"), "crm:lead-list", "bi-person-plus", "crm.view_lead", 30))
registry.register_menu(MenuEntry(CRM, _("Segmentos y campañas"), "crm:campaign-list", "bi-envelope-paper",
                                 "crm.view_campaign", 60, also_active=(
                                     "crm:segment-list", "crm:segment-create", "crm:segment-detail",
                                     "crm:segment-update")))
registry.register_menu(MenuEntry(CRM, _("Importar clientes"), "crm:import-list", "bi-upload", "crm.add_party", 80))
registry.register_resource(parties)
registry.register_resource(tags)
for prefix, viewset, basename in [
    ("crm/parties", api.PartyViewSet, "crm-party"), ("crm/relations", api.RelationViewSet, "crm-relation"),
    ("crm/consents", api.ConsentViewSet, "crm-consent"), ("crm/leads", api.LeadViewSet, "crm-lead"),
    ("crm/opportunities", api.OpportunityViewSet, "crm-opportunity"), ("crm/activities", api.ActivityViewSet, "crm-activity"),
    ("crm/segments", api.SegmentViewSet, "crm-segment"), ("crm/campaigns", api.CampaignViewSet, "crm-campaign"),
]:
    registry.register_api(prefix, viewset, basename)
registry.register_search_index({"model": Party, "fields": ["display_name", "tax_id", "contacts__normalized"],
                                "url_name": parties.url_name("detail")})
registry.register_demo_seeder(crm_demo_seed)
