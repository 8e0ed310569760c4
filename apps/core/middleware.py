import re

from apps.core import context

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request) -> str | None:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    """Takes X-Request-ID from the proxy (or makes one), exposes it to logs and audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else context.new_request_id()
        request.request_id = request_id
        with context.request_context(
            request_id=request_id, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
        ):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
