from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "apps.crm"
    verbose_name = _("Clientes (CRM)")

    def ready(self):
        from apps.crm import navigation, realtime  # noqa: F401
