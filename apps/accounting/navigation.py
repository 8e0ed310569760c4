from django.utils.translation import gettext_lazy as _

from aitcore.registry import registry
from apps.accounting.api import books as books_api
from apps.accounting.api import chart as chart_api
from apps.accounting.api import closing as closing_api
from apps.accounting.api import entries as entries_api
from apps.accounting.api import invoices as invoices_api
from apps.accounting.api import taxes as taxes_api
from apps.accounting.demo import accounting_demo_seed
from apps.accounting.views import books, chart, closing, entries, invoices, taxes

ACCOUNTING = _("Contabilidad")


def _setup_books(*, tenant):
    from apps.accounting.services import accounting_setup

    accounting_setup(chart=tenant.chart_of_accounts)


registry.register_tenant_setup(_setup_books)
for area in (chart, entries, invoices, books, taxes, closing):
    for entry in area.MENU:
        registry.register_menu(entry)
for area in (chart_api, entries_api, invoices_api, books_api, taxes_api, closing_api):
    for prefix, viewset, basename in area.ROUTES:
        registry.register_api(prefix, viewset, basename)
registry.register_demo_seeder(accounting_demo_seed)
