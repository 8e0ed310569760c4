from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HogarConfig(AppConfig):
    name = "apps.lines.hogar"
    label = "lines_hogar"
    verbose_name = _("Ramo de hogar")

    def ready(self):
        from apps.lines.hogar import registration  # noqa: F401
