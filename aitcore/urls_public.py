"""Public schema: the platform site, brokerage sign-up, platform admin, probes and metrics."""
from django.contrib import admin
from django.urls import include, path

from aitcore.urls_platform import handler403, handler404, handler500, platform_patterns  # noqa: F401

urlpatterns = [
    path("", include("apps.tenancy.urls")),
    path("admin/", admin.site.urls),
    *platform_patterns,
]
