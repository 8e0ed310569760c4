"""/api/v1/: routes come from what apps registered in aitcore.registry."""
from django.urls import path
from rest_framework.routers import DefaultRouter

from aitcore.registry import registry
from apps.identity.api.views import TenantTokenRefreshView, TokenObtainView


def build_urlpatterns():
    router = DefaultRouter()
    for route in registry.api_routes:
        router.register(route.prefix, route.viewset, basename=route.basename)
    return [
        path("auth/token/", TokenObtainView.as_view(), name="token_obtain_pair"),
        path("auth/token/refresh/", TenantTokenRefreshView.as_view(), name="token_refresh"),
        *router.urls,
    ]
