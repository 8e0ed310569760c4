from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "apps.insurance"
    verbose_name = _("Seguros")

    def ready(self):
        from apps.insurance import navigation, realtime  # noqa: F401
