"""Routes every host serves, public or brokerage: probes, metrics, language switch."""
from django.urls import include, path

from apps.core.views import health
from apps.identity.views import language_switch

platform_patterns = [
    path("i18n/setlang/", language_switch, name="set_language"),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("", include("django_prometheus.urls")),
]

handler404 = "apps.core.views.errors.not_found"
handler403 = "apps.core.views.errors.forbidden"
handler500 = "apps.core.views.errors.server_error"
