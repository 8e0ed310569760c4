from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = _("Documentos")

    def ready(self):
        from apps.documents import access, navigation  # noqa: F401
