from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountingConfig(AppConfig):
    name = "apps.accounting"
    verbose_name = _("Contabilidad")

    def ready(self):
        from apps.accounting import navigation  # noqa: F401
