"""Errors as application/problem+json (RFC 9457) with field details."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from apps.core.errors import DomainError
from apps.core.services.records import validation_messages

PROBLEM_TYPE_BASE = "https://aitcore.es/problems/"
TITLES = {
    400: _("Petición no válida"),
    401: _("No autenticado"),
    403: _("Acceso denegado"),
    404: _("No encontrado"),
    405: _("Método no permitido"),
    409: _("Conflicto"),
    413: _("Envío demasiado grande"),
    415: _("Tipo de contenido no admitido"),
    422: _("No procesable"),
    429: _("Demasiadas peticiones"),
    500: _("Error interno"),
}


def problem_body(status_code: int, detail: str, *, code: str = "", errors: dict | None = None, instance: str = "") -> dict:
    body = {
        "type": PROBLEM_TYPE_BASE + (code or str(status_code)),
        "title": str(TITLES.get(status_code, "Error")),
        "status": status_code,
        "detail": str(detail),
    }
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
    if instance:
        body["instance"] = instance
    return body


def problem_response(status_code: int, detail: str, **kwargs) -> JsonResponse:
    return JsonResponse(
        problem_body(status_code, detail, **kwargs), status=status_code, content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [str(item) if not isinstance(item, (dict, list)) else _flatten(item) for item in detail]
    return [str(detail)]


def problem_exception_handler(exc, context):
    request = context.get("request")
    path = request.get_full_path() if request else ""
    if isinstance(exc, DomainError):
        errors = {exc.field: [exc.message]} if exc.field else None
        body = problem_body(exc.status, exc.message, code=exc.code, errors=errors, instance=path)
        return Response(body, status=exc.status, content_type="application/problem+json")
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_messages(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.Throttled):  # apps/core/throttling.py; Retry-After set by DRF above
        wait = int(exc.wait or 1)
        detail = _("Ha superado el límite de peticiones de la API. Vuelva a intentarlo dentro de %(seconds)s s.") % {
            "seconds": wait}
        code, errors = "rate_limited", None
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail) if isinstance(exc.detail, dict) else {"non_field_errors": _flatten(exc.detail)}
        detail = _("Los datos enviados no son válidos: revise los campos indicados.")
        code = "validation_error"
    elif isinstance(getattr(exc, "detail", None), dict):  # simplejwt: {"detail", "code", "messages"}
        detail = str(exc.detail.get("detail", TITLES.get(response.status_code, "Error")))
        code, errors = str(exc.detail.get("code", "")), None
    else:
        detail = str(getattr(exc, "detail", "")) or TITLES.get(response.status_code, "Error")
        errors = None
        codes = exc.get_codes() if hasattr(exc, "get_codes") else ""
        code = codes if isinstance(codes, str) else ""
    response.data = problem_body(response.status_code, detail, code=code, errors=errors, instance=path)
    response.content_type = "application/problem+json"
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
