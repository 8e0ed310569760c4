from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RcConfig(AppConfig):
    name = "apps.lines.rc"
    label = "lines_rc"
    verbose_name = _("Ramo de responsabilidad civil")

    def ready(self):
        from apps.lines.rc import registration  # noqa: F401
