import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aitcore.settings.base")

app = CeleryApp("aitcore")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
