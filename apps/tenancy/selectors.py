from apps.tenancy.models import Domain, Tenant


def active_schemas() -> list[str]:
    return list(Tenant.objects.filter(is_active=True).exclude(schema_name="public").values_list("schema_name", flat=True))


def tenant_for_host(host: str) -> Tenant | None:
    hostname = host.split(":")[0].lower().rstrip(".")
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    return domain.tenant if domain else None
