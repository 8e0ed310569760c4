"""The demo brokerage. Later domain issues add their data here through their services."""
from django.db import transaction
from django_tenants.utils import schema_context, schema_exists

from aitcore.registry import registry
from apps.tenancy.models import Tenant

DEMO_SCHEMA = "demo"
DEMO_DOMAIN = "demo.localhost"
DEMO_PASSWORD = "Demo-Correduria-2026"
DEMO_TAX_ID = "B87654323"
PLATFORM_ADMIN = "plataforma@aitcore.es"  # superuser of the public schema (platform admin panel)
# (email, first name, last name, role code); the first one is the brokerage's administrator.
DEMO_USERS = [
    ("direccion@demo.aitcore.es", "Carmen", "Ortega Llorente", "direccion"),
    ("comercial@demo.aitcore.es", "Javier", "Ruiz Montes", "comercial"),
    ("comercial2@demo.aitcore.es", "Lucía", "Fernández Pardo", "comercial"),
    ("contabilidad@demo.aitcore.es", "Alberto", "Sanz Gil", "contabilidad"),
    ("cobros@demo.aitcore.es", "Marta", "Navarro Vidal", "cobros"),
    ("siniestros@demo.aitcore.es", "Sergio", "Molina Castro", "siniestros"),
    ("rrhh@demo.aitcore.es", "Elena", "Romero Prieto", "rrhh"),
    ("sistemas@demo.aitcore.es", "Raúl", "Iglesias Soto", "sistemas"),
]


def demo_seed() -> bool:
    """Idempotent: creates the demo brokerage once, then only fills what is missing."""
    from apps.identity.models import User
    from apps.identity.services.users import user_create
    from apps.notifications.services.notifications import notification_send
    from apps.tenancy.services.provisioning import tenant_provision

    _ensure_platform_admin()
    created = False
    if not (Tenant.objects.filter(schema_name=DEMO_SCHEMA).exists() and schema_exists(DEMO_SCHEMA)):
        email, first, last, _role = DEMO_USERS[0]
        tenant_provision(actor=None, schema=DEMO_SCHEMA, name="Correduría Levante Seguros, S.L.", tax_id=DEMO_TAX_ID,
                         domain=DEMO_DOMAIN, admin_email=email, admin_password=DEMO_PASSWORD, admin_first_name=first,
                         dgsfp_code="J-3187")
        created = True
    with schema_context(DEMO_SCHEMA), transaction.atomic():
        admin = User.objects.get(email=DEMO_USERS[0][0])
        if admin.last_name != DEMO_USERS[0][2]:
            User.objects.filter(pk=admin.pk).update(last_name=DEMO_USERS[0][2])
        for email, first, last, role in DEMO_USERS[1:]:
            if not User.objects.filter(email=email).exists():
                user_create(actor=admin, email=email, password=DEMO_PASSWORD, first_name=first, last_name=last,
                            role_codes=[role], is_staff=role == "sistemas")
        for seeder in registry.demo_seeders:  # each domain adds its data; seeders skip what exists
            seeder(admin=admin)
        if created:
            notification_send(recipient=admin, title="Bienvenida a AIT-CORE",
                              body="Su correduría está lista. Revise los usuarios y sus roles en Sistemas.",
                              url="/r/identity/user/")
    return created


def _ensure_platform_admin() -> None:
    from apps.identity.models import User

    with schema_context("public"):
        if not User.objects.filter(email=PLATFORM_ADMIN).exists():
            User.objects.create_superuser(PLATFORM_ADMIN, DEMO_PASSWORD, first_name="Plataforma", last_name="AIT-CORE")
