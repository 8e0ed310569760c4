from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnginesConfig(AppConfig):
    name = "apps.engines"
    label = "engines"
    verbose_name = _("Motores de cálculo")

    def ready(self):
        from apps.engines import actuarial_engines  # noqa: F401 - registers the actuarial engines
        from apps.engines import navigation  # noqa: F401
