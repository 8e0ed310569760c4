from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccidentesConfig(AppConfig):
    name = "apps.lines.accidentes"
    label = "lines_accidentes"
    verbose_name = _("Ramo de accidentes")

    def ready(self):
        from apps.lines.accidentes import registration  # noqa: F401
