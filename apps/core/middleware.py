import logging
import re
import time

from apps.core import context

request_log = logging.getLogger("aitcore.request")

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request) -> str | None:
    """X-Forwarded-For only from trusted proxies (settings.TRUSTED_PROXIES): apps.core.security.client_ip."""
    from apps.core.security import client_ip as trusted_client_ip

    return trusted_client_ip(request)


class RequestIdMiddleware:
    """Takes X-Request-ID from the proxy (or makes one), exposes it to logs and audit, and
    writes one JSON log line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else context.new_request_id()
        request.request_id = request_id
        started = time.perf_counter()
        with context.request_context(
            request_id=request_id, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
        ):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            request_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"status": response.status_code, "method": request.method, "path": request.path,
                       "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                       "user_id": getattr(user, "pk", None)},
            )
        response["X-Request-ID"] = request_id
        return response
