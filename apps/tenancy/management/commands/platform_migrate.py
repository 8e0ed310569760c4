from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from apps.tenancy.models import Domain, Tenant
from apps.tenancy.services.provisioning import template_schema_sync

PLATFORM_TAX_ID = "A28017895"


class Command(BaseCommand):
    help = "Migra el esquema público, la plantilla de corredurías y todas las corredurías."

    def handle(self, *args, **options):
        verbosity = options.get("verbosity", 1)
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=max(verbosity - 1, 0))
        public, _ = Tenant.objects.get_or_create(
            schema_name="public", defaults={"name": "AIT-CORE (plataforma)", "tax_id": PLATFORM_TAX_ID}
        )
        Domain.objects.get_or_create(domain=settings.PLATFORM_DOMAIN, defaults={"tenant": public, "is_primary": True})
        template_schema_sync(verbosity=max(verbosity - 1, 0))
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=max(verbosity - 1, 0))
        self.stdout.write(self.style.SUCCESS("Esquemas migrados: público, plantilla y %d correduría(s)."
                                             % Tenant.objects.exclude(schema_name="public").count()))
