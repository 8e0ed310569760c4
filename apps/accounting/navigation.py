from aitcore.registry import registry


def _setup_books(*, tenant):
    from apps.accounting.services import accounting_setup

    accounting_setup(chart=tenant.chart_of_accounts)


registry.register_tenant_setup(_setup_books)
