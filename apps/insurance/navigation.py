"""What the insurance core registers: menus, pages, API routes, tenant setup, demo data."""
from aitcore.registry import registry
from apps.insurance.api import catalog as catalog_api
from apps.insurance.api import policies as policies_api
from apps.insurance.api import quotes as quotes_api
from apps.insurance.api import renewals as renewals_api
from apps.insurance.demo import insurance_demo_seed
from apps.insurance.views import catalog, policies, quotes, renewals


def _setup_lines(*, tenant):
    from apps.insurance.services.lines import lines_sync

    lines_sync()


registry.register_tenant_setup(_setup_lines)
for area in (catalog, quotes, policies, renewals):
    for entry in area.MENU:
        registry.register_menu(entry)
for area in (catalog_api, quotes_api, policies_api, renewals_api):
    for prefix, viewset, basename in area.ROUTES:
        registry.register_api(prefix, viewset, basename)
registry.register_demo_seeder(insurance_demo_seed)
