from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutosConfig(AppConfig):
    name = "apps.lines.autos"
    label = "lines_autos"
    verbose_name = _("Ramo de autos")

    def ready(self):
        from apps.lines.autos import registration  # noqa: F401
