"""The brokerage's admin IP allowlist (apps.core.security.AdminIpAllowlistMiddleware enforces it)."""
import ipaddress

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.tenancy.models import Tenant


def normalize_networks(values) -> list[str]:
    """Each entry as its canonical network ('10.0.0.7/24' -> '10.0.0.0/24'), duplicates dropped, order kept."""
    networks, bad = [], []
    for value in values or []:
        text = str(value).strip()
        if not text:
            continue
        try:
            networks.append(str(ipaddress.ip_network(text, strict=False)))
        except ValueError:
            bad.append(text)
    if bad:
        raise ValidationError({"admin_allowed_networks": _("No son redes válidas: %(bad)s. Use la notación CIDR, "
                                                           "p. ej. 203.0.113.0/24.") % {"bad": ", ".join(bad)}})
    return list(dict.fromkeys(networks))


@transaction.atomic
def tenant_admin_networks_set(*, actor, tenant: Tenant, networks: list[str]) -> Tenant:
    """Replaces the networks allowed to open the brokerage's /admin/ (empty: any network); audited in the
    platform's (public) audit log."""
    cleaned = normalize_networks(networks)
    with schema_context("public"):
        before = list(Tenant.objects.filter(pk=tenant.pk).values_list("admin_allowed_networks", flat=True).first() or [])
        if before == cleaned:
            tenant.admin_allowed_networks = cleaned
            return tenant
        Tenant.objects.filter(pk=tenant.pk).update(admin_allowed_networks=cleaned)
        tenant.admin_allowed_networks = cleaned
        audit_event_record(actor=actor, action=AuditAction.ACTION, verb="admin_networks_set", obj=tenant,
                           changes={"admin_allowed_networks": [before, cleaned]})
    return tenant
