"""Public-schema URLs for the bench server: the real ones plus the bare view that reads a table
public shares with the brokerages (see bench/views.py)."""
from django.urls import path

from aitcore.urls_public import handler403, handler404, handler500, urlpatterns as app_urlpatterns
from bench.views import bare_permissions

urlpatterns = [
    path("bench/bare/permissions/", bare_permissions, name="bench-bare-permissions"),
    *app_urlpatterns,
]

# Re-exported: Django reads the error handlers from the root URLconf.
__all__ = ["urlpatterns", "handler403", "handler404", "handler500"]
