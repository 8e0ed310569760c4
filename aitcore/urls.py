"""Tenant sites (one per brokerage)."""
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from aitcore.registry import registry
from aitcore.urls_platform import handler403, handler404, handler500, platform_patterns  # noqa: F401
from apps.core.api.urls import build_urlpatterns

ui_patterns = [pattern for resource in registry.resources for pattern in resource.urlpatterns()]

urlpatterns = [
    path("", include("apps.core.urls")),
    path("cuenta/", include("apps.identity.urls")),
    path("notificaciones/", include("apps.notifications.urls")),
    path("procesos/", include("apps.jobs.urls")),
    path("crm/", include("apps.crm.urls")),
    path("contabilidad/", include("apps.accounting.urls")),
    path("seguros/", include("apps.insurance.urls")),
    path("recibos/", include("apps.collections.urls")),
    path("siniestros/", include("apps.claims.urls")),
    path("tesoreria/", include("apps.treasury.urls")),
    path("rrhh/", include("apps.hr.urls")),
    path("colaboracion/", include("apps.collaboration.urls")),
    path("documentos/", include("apps.documents.urls")),
    path("buscar/", include("apps.search.urls")),
    path("auditoria/", include("apps.audit.urls")),
    path("analitica/", include("apps.analytics.urls")),
    path("regulatorio/", include("apps.regulatory.urls")),
    path("cumplimiento/", include("apps.compliance.urls")),
    path("prediccion/", include("apps.predictive.urls")),
    path("motores/", include("apps.engines.urls")),
    path("r/", include((ui_patterns, "ui"))),
    path("admin/", admin.site.urls),
    path("api/v1/", include((build_urlpatterns(), "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Split view: Swagger UI's start-up script is a separate file, not an inline <script> (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *platform_patterns,
]
if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
