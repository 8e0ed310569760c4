from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "apps.jobs"
    verbose_name = _("Procesos en segundo plano")

    def ready(self):
        from apps.jobs import navigation  # noqa: F401
