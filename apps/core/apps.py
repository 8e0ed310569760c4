from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Núcleo")

    def ready(self):
        from apps.core import navigation  # noqa: F401
        from apps.core.logging import install_record_factory

        install_record_factory()
