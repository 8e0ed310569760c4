from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecesosConfig(AppConfig):
    name = "apps.lines.decesos"
    label = "lines_decesos"
    verbose_name = _("Ramo de decesos")

    def ready(self):
        from apps.lines.decesos import registration  # noqa: F401
