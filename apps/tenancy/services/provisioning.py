"""Creating a brokerage: schema (cloned from the template), domain, first admin user."""
import re
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from aitcore.registry import registry
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.validators import normalize_tax_id, validate_spanish_tax_id
from apps.identity.roles import ROLE_SPECS
from apps.tenancy.errors import ProvisioningError
from apps.tenancy.models import Domain, Tenant

SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
RESERVED_SCHEMAS = {"public", "information_schema", settings.TENANT_BASE_SCHEMA}
DOMAIN_NAME = re.compile(r"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def template_schema_sync(verbosity: int = 0) -> None:
    """Creates (if missing) and migrates the template schema new brokerages are cloned from."""
    name = settings.TENANT_BASE_SCHEMA
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", tenant=True, schema_name=name, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()


def _validate(*, schema: str, name: str, tax_id: str, domain: str, admin_email: str, admin_password: str) -> dict:
    errors = {}
    if not SCHEMA_NAME.match(schema or "") or schema in RESERVED_SCHEMAS:
        errors["schema"] = [_("Esquema no válido: minúsculas, dígitos y «_», empezando por letra (2-41 caracteres).")]
    elif Tenant.objects.filter(schema_name=schema).exists() or schema_exists(schema):
        errors["schema"] = [_("Ya existe una correduría con el esquema «%s».") % schema]
    if not (name or "").strip():
        errors["name"] = [_("El nombre es obligatorio.")]
    try:
        validate_spanish_tax_id(tax_id)
    except ValidationError as exc:
        errors["tax_id"] = exc.messages
    if not DOMAIN_NAME.match((domain or "").lower()):
        errors["domain"] = [_("Dominio no válido.")]
    elif Domain.objects.filter(domain=domain.lower()).exists():
        errors["domain"] = [_("El dominio «%s» ya está en uso.") % domain]
    try:
        validate_email(admin_email)
    except ValidationError:
        errors["admin_email"] = [_("Correo electrónico no válido.")]
    try:
        validate_password(admin_password)
    except ValidationError as exc:
        errors["admin_password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {"schema": schema, "domain": domain.lower(), "tax_id": normalize_tax_id(tax_id)}


def tenant_provision(*, actor, schema: str, name: str, tax_id: str, domain: str, admin_email: str,
                     admin_password: str, admin_first_name: str = "Administrador", dgsfp_code: str = "",
                     plan: str = "professional", chart_of_accounts: str = "pgc_pymes",
                     use_template: bool = True) -> Tenant:
    """Validates everything first, then builds; if building fails, removes what it made.

    Schema DDL and cloning cannot share one transaction with the rest, so the clean-up is
    explicit: the tenant row, its domain and its schema are dropped on any failure.
    """
    connection.set_schema_to_public()  # tenants and domains live in public, whatever ran before
    clean = _validate(schema=schema, name=name, tax_id=tax_id, domain=domain,
                      admin_email=admin_email, admin_password=admin_password)
    started = time.perf_counter()
    tenant = Tenant(schema_name=clean["schema"], name=name.strip(), tax_id=clean["tax_id"], dgsfp_code=dgsfp_code,
                    plan=plan, chart_of_accounts=chart_of_accounts)
    tenant.full_clean()
    tenant.save()
    try:
        if use_template and schema_exists(settings.TENANT_BASE_SCHEMA):
            tenant.create_schema(check_if_exists=False, verbosity=0)
        else:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{tenant.schema_name}"')
            call_command("migrate_schemas", tenant=True, schema_name=tenant.schema_name, interactive=False, verbosity=0)
            connection.set_schema_to_public()
        Domain.objects.create(domain=clean["domain"], tenant=tenant, is_primary=True)
        with schema_context(tenant.schema_name):
            from apps.identity.services.roles import roles_sync
            from apps.identity.services.users import user_create

            roles_sync()
            for setup in registry.tenant_setups:
                setup(tenant=tenant)
            admin = user_create(
                actor=None, email=admin_email, password=admin_password, first_name=admin_first_name,
                role_codes=[spec.code for spec in ROLE_SPECS], is_staff=True, is_superuser=True,
            )
            audit_event_record(actor=admin, action=AuditAction.CREATE, verb="tenant_provisioned", obj=admin,
                               changes={"tenant": [None, tenant.schema_name]})
    except Exception as exc:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            # Inside an outer transaction, deferred FK checks would block DROP SCHEMA.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        Domain.objects.filter(tenant=tenant).delete()
        tenant.delete(force_drop=True)
        raise ProvisioningError(_("No se pudo dar de alta la correduría: %s") % exc) from exc
    tenant.provisioning_seconds = Decimal(f"{time.perf_counter() - started:.3f}")
    tenant.save(update_fields=["provisioning_seconds"])
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=tenant,
                       changes={"schema_name": [None, tenant.schema_name], "domain": [None, clean["domain"]]})
    return tenant


def tenant_suspend(*, actor, tenant: Tenant, reason: str) -> Tenant:
    if not reason.strip():
        raise ValidationError({"suspended_reason": _("Indique el motivo de la suspensión.")})
    if tenant.schema_name == "public":
        raise ValidationError({"schema_name": _("La plataforma no se puede suspender.")})
    return _set_active(actor=actor, tenant=tenant, active=False, reason=reason.strip()[:300])


def tenant_reactivate(*, actor, tenant: Tenant) -> Tenant:
    return _set_active(actor=actor, tenant=tenant, active=True, reason="")


def _set_active(*, actor, tenant: Tenant, active: bool, reason: str) -> Tenant:
    with schema_context("public"), transaction.atomic():
        before = {"is_active": tenant.is_active, "suspended_reason": tenant.suspended_reason}
        Tenant.objects.filter(pk=tenant.pk).update(is_active=active, suspended_reason=reason)
        tenant.is_active, tenant.suspended_reason = active, reason
        audit_event_record(actor=actor, action=AuditAction.ACTION, verb="reactivate" if active else "suspend",
                           obj=tenant, changes={k: [v, getattr(tenant, k)] for k, v in before.items()})
    return tenant
