"""Web hardening pieces that are not Django's own: the client address behind trusted proxies, the
request size limit (413) and the admin IP allowlist (403), both audited.

Audit events of refusals are written at most once a minute per brokerage, kind and address, so a
flood of refused requests cannot flood the audit chain (each event takes the chain's lock).
"""
import ipaddress
import logging

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

log = logging.getLogger("aitcore.security")

ADMIN_PREFIX = "/admin/"
AUDIT_ONCE_SECONDS = 60
_networks_cache: dict[tuple, tuple] = {}


# --- Addresses and networks ------------------------------------------------------------------------

def parse_networks(values) -> tuple:
    """CIDRs (or single addresses) as ip_network objects; a bad entry raises ValueError."""
    return tuple(ipaddress.ip_network(str(value).strip(), strict=False) for value in values if str(value).strip())


def _cached_networks(values) -> tuple:
    key = tuple(values or ())
    if key not in _networks_cache:
        _networks_cache[key] = parse_networks(key)
    return _networks_cache[key]


def address_in(address: str | None, networks) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks)


def client_ip(request) -> str | None:
    """The caller's address. X-Forwarded-For is believed only when the connection comes from a trusted
    proxy (settings.TRUSTED_PROXIES); then the client is the nearest address, right to left, that is not
    itself a trusted proxy. Anything a client writes in the header before that is ignored."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = _cached_networks(getattr(settings, "TRUSTED_PROXIES", ()))
    if not remote or not address_in(remote, trusted):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a proxy we trust wrote something that is not an address: do not guess
        if not address_in(hop, trusted):
            return hop
    return hops[0] if hops else remote


# --- Refusals -------------------------------------------------------------------------------------

def wants_problem(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def refuse(request, status: int, *, title: str, detail: str, code: str):
    from apps.core.api.problems import problem_response

    if wants_problem(request):
        return problem_response(status, detail, code=code, instance=request.path)
    return render(request, "errors/error.html", {"status": status, "title": title, "detail": detail}, status=status)


def counters():
    """The cache of counters and markers (Redis when REDIS_URL is set); keys name their schema themselves."""
    return caches["throttle"] if "throttle" in caches.settings else caches["default"]


def audit_once_key(schema: str, verb: str, ip: str) -> str:
    return f"security-audit:{schema}:{verb}:{ip}"


def audit_refusal(request, *, verb: str, changes: dict) -> None:
    """One audit event per brokerage, kind and address a minute; never breaks the refusal."""
    from apps.audit.choices import AuditAction
    from apps.audit.services import audit_event_record

    ip = client_ip(request) or "-"
    if not counters().add(audit_once_key(connection.schema_name, verb, ip), 1, AUDIT_ONCE_SECONDS):
        return
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    try:
        audit_event_record(actor=actor, action=AuditAction.ACTION, verb=verb,
                           changes={"path": [None, request.path[:200]], "method": [None, request.method], **changes})
    except Exception:  # noqa: BLE001 - the refusal stands even if the audit cannot be written
        log.exception("could not audit %s", verb)


class RequestSizeLimitMiddleware:
    """Refuses a body larger than settings.REQUEST_MAX_BODY_BYTES (Content-Length) with 413 before any view
    reads it; a body that passes here but overflows DATA_UPLOAD_MAX_MEMORY_SIZE (form fields, JSON) gets
    the same answer instead of Django's bare 400. nginx's client_max_body_size is the first wall."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BODY_BYTES
        if length > limit:
            return self.too_large(request, length, limit)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            return self.too_large(request, length, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return None

    def too_large(self, request, length: int, limit: int):
        audit_refusal(request, verb="request_too_large", changes={"bytes": [None, length], "limit": [None, limit]})
        return refuse(
            request, 413, title=_("Envío demasiado grande"), code="request_too_large",
            detail=_("El envío ocupa %(size)s y el máximo admitido es %(max)s. Reduzca el tamaño del archivo o "
                     "envíelo en varias partes.") % {"size": filesizeformat(length), "max": filesizeformat(limit)},
        )


class AdminIpAllowlistMiddleware:
    """/admin/ only from the brokerage's allowed networks (Tenant.admin_allowed_networks; on the platform
    site, settings.PLATFORM_ADMIN_ALLOWED_NETWORKS). An empty list allows every address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PREFIX):
            networks = self.networks_for(request)
            ip = client_ip(request)
            if networks and not address_in(ip, networks):
                audit_refusal(request, verb="admin_ip_refused", changes={"ip": [None, ip]})
                return refuse(
                    request, 403, title=_("Acceso al panel no permitido desde esta red"), code="admin_ip_refused",
                    detail=_("El panel de administración solo admite conexiones desde las redes autorizadas por su "
                             "correduría. Su dirección (%(ip)s) no está entre ellas: conéctese desde la oficina o la "
                             "VPN, o pida al administrador que la añada.") % {"ip": ip or "?"},
                )
        return self.get_response(request)

    @staticmethod
    def networks_for(request) -> tuple:
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == settings.PUBLIC_SCHEMA_NAME:
            return _cached_networks(getattr(settings, "PLATFORM_ADMIN_ALLOWED_NETWORKS", ()))
        try:
            return _cached_networks(getattr(tenant, "admin_allowed_networks", None) or ())
        except ValueError:  # validated on save; a hand-edited bad row closes the door rather than opening it
            log.error("tenant %s has an invalid admin_allowed_networks entry", tenant.schema_name)
            return (ipaddress.ip_network("127.0.0.1/32"),)


def validate_network(value: str) -> None:
    """A model/form validator: one IPv4/IPv6 network in CIDR notation (or a single address)."""
    from django.core.exceptions import ValidationError

    try:
        ipaddress.ip_network(str(value).strip(), strict=False)
    except ValueError:
        raise ValidationError(_("«%(value)s» no es una red válida; use la notación CIDR, p. ej. 203.0.113.0/24."),
                              code="invalid_network", params={"value": value}) from None
