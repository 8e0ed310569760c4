"""Error pages: HTML for people, problem+json under /api/."""
from django.shortcuts import render

from apps.core.api.problems import problem_response
from django.utils.translation import gettext as _


def _answer(request, status, title, detail, code):
    if request.path.startswith("/api/"):
        return problem_response(status, detail, code=code, instance=request.path)
    return render(request, "errors/error.html", {"status": status, "title": title, "detail": detail}, status=status)


def not_found(request, exception=None):
    return _answer(request, 404, _("Página no encontrada"),
                   _("La dirección no existe o el registro ya no está disponible."), "not_found")


def forbidden(request, exception=None):
    detail = str(exception) if exception and str(exception) else _("Su rol no permite acceder a esta página.")
    return _answer(request, 403, _("Acceso denegado"), detail, "forbidden")


def server_error(request):
    return _answer(request, 500, _("Error interno"),
                   _("Algo falló por nuestra parte; el equipo técnico ha sido avisado."), "server_error")
