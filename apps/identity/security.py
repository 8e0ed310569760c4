"""How a login attempt is identified (django-axes hooks) and small helpers the login doors share."""
from apps.core.security import client_ip as core_client_ip


def client_ip(request) -> str | None:
    """The client's address for the lockout and the login events: the one trusted-proxy rule of the whole
    project (apps.core.security.client_ip, settings.TRUSTED_PROXIES), so a client cannot choose the IP it is
    locked under by sending X-Forwarded-For itself."""
    return core_client_ip(request) if getattr(request, "META", None) is not None else None


def axes_username(request, credentials=None) -> str:
    """The e-mail tried, lower-cased: the login form posts "username", the JWT endpoint "email"."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if not value and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {}) or {}
        try:
            value = data.get("username") or data.get("email")
        except AttributeError:
            value = ""
    return str(value or "").strip().lower()[:254]


def user_agent(request) -> str:
    return (getattr(request, "META", {}) or {}).get("HTTP_USER_AGENT", "")[:300]
