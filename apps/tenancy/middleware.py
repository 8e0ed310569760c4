"""Host -> brokerage. Unknown hosts and suspended brokerages get a clear answer, never data."""
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django_tenants.middleware.main import TenantMainMiddleware

from apps.core.api.problems import problem_response
from django.utils.translation import gettext as _


def _refusal(request, status: int, title: str, detail: str, code: str):
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        return problem_response(status, detail, code=code, instance=request.path)
    html = render_to_string("tenancy/refused.html", {"title": title, "detail": detail, "status": status})
    return HttpResponse(html, status=status)


class TenantMiddleware(TenantMainMiddleware):
    def no_tenant_found(self, request, hostname):
        return _refusal(
            request, 404, _("Correduría no encontrada"),
            _("No hay ninguna correduría en «%(host)s». Revise la dirección o pida a su administrador el enlace correcto.")
            % {"host": hostname},
            "unknown_tenant",
        )

    def process_request(self, request):
        if request.path.startswith(settings.PLATFORM_PATHS):
            # Probes and metrics must answer even when the database does not (liveness).
            connection.set_schema_to_public()
            self.setup_url_routing(request=request, force_public=True)
            return None
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_active:
            connection.set_schema_to_public()
            reason = (" " + _("Motivo: %(reason)s.") % {"reason": tenant.suspended_reason}) if tenant.suspended_reason else ""
            return _refusal(
                request, 403, _("Correduría suspendida"),
                _("El acceso a %(name)s está suspendido.%(reason)s Contacte con el soporte de AIT-CORE.")
                % {"name": tenant.name, "reason": reason},
                "tenant_suspended",
            )
        return None
