from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PredictiveConfig(AppConfig):
    name = "apps.predictive"
    label = "predictive"
    verbose_name = _("Modelos predictivos")

    def ready(self):
        from apps.predictive import engines, navigation  # noqa: F401

        engines.register_all()
