from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmpresasConfig(AppConfig):
    name = "apps.lines.empresas"
    label = "lines_empresas"
    verbose_name = _("Ramo de multirriesgo empresas")

    def ready(self):
        from apps.lines.empresas import registration  # noqa: F401
