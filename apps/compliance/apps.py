from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "apps.compliance"
    label = "compliance"
    verbose_name = _("Cumplimiento")

    def ready(self):
        from apps.compliance import navigation, realtime  # noqa: F401
