from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "apps.analytics"
    label = "analytics"
    verbose_name = _("Analítica")

    def ready(self):
        from apps.analytics import navigation  # noqa: F401
