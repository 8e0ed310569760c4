"""How a login attempt is identified (django-axes hooks) and small helpers the login doors share."""
from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address for the lockout. With IDENTITY_PROXY_COUNT = n > 0 the n-th address from the right
    of X-Forwarded-For (the one our own proxy appended); otherwise the socket address, so a client cannot choose
    the IP it is locked under by sending the header itself."""
    count = getattr(settings, "IDENTITY_PROXY_COUNT", 0)
    meta = getattr(request, "META", {}) or {}
    if count > 0:
        hops = [item.strip() for item in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
        if len(hops) >= count:
            return hops[-count]
    return meta.get("REMOTE_ADDR") or None


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
