from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VidaConfig(AppConfig):
    name = "apps.lines.vida"
    label = "lines_vida"
    verbose_name = _("Ramo de vida riesgo")

    def ready(self):
        from apps.lines.vida import registration  # noqa: F401
