from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SaludConfig(AppConfig):
    name = "apps.lines.salud"
    label = "lines_salud"
    verbose_name = _("Ramo de salud")

    def ready(self):
        from apps.lines.salud import registration  # noqa: F401
