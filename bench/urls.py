"""Tenant URLs for the bench server: the real ones plus the bare views."""
from django.urls import path

from aitcore.urls import handler403, handler404, handler500, urlpatterns as app_urlpatterns
from bench.views import bare_audit_events, bare_permissions

urlpatterns = [
    path("bench/bare/audit-events/", bare_audit_events, name="bench-bare-audit-events"),
    path("bench/bare/permissions/", bare_permissions, name="bench-bare-permissions"),
    *app_urlpatterns,
]

# Re-exported: Django reads the error handlers from the root URLconf.
__all__ = ["urlpatterns", "handler403", "handler404", "handler500"]
