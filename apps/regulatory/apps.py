from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulatoryConfig(AppConfig):
    name = "apps.regulatory"
    label = "regulatory"
    verbose_name = _("Regulatorio")

    def ready(self):
        from apps.regulatory import navigation  # noqa: F401
