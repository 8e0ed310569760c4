from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "apps.claims"
    label = "claims"
    verbose_name = _("Siniestros")

    def ready(self):
        from apps.claims import navigation, realtime  # noqa: F401
