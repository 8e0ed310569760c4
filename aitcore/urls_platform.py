"""Routes every host serves, public or brokerage: probes, metrics, language switch."""
from django.urls import include, path
from django.views.i18n import set_language

from apps.core.views import health

platform_patterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("", include("django_prometheus.urls")),
]

handler404 = "apps.core.views.errors.not_found"
handler403 = "apps.core.views.errors.forbidden"
handler500 = "apps.core.views.errors.server_error"
