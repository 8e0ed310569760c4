from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreasuryConfig(AppConfig):
    name = "apps.treasury"
    label = "treasury"
    verbose_name = _("Tesorería")

    def ready(self):
        from apps.treasury import navigation, realtime  # noqa: F401
