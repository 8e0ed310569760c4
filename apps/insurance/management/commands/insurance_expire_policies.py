import datetime

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_tenant_model, schema_context


class Command(BaseCommand):
    help = ("Da por vencidas las pólizas en vigor o suspendidas cuyo vencimiento ya pasó sin renovación "
            "(de una correduría con --schema, o de todas).")

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="Esquema de la correduría (por defecto, todas las activas).")
        parser.add_argument("--today", help="Fecha de referencia AAAA-MM-DD (por defecto, hoy).")

    def handle(self, *args, schema=None, today=None, **options):
        from apps.insurance.services.policies import policies_expire_due

        try:
            today = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("La fecha debe tener el formato AAAA-MM-DD.") from None
        tenants = get_tenant_model().objects.exclude(schema_name="public")
        if schema:
            tenants = tenants.filter(schema_name=schema)
            if not tenants.exists():
                raise CommandError(f"No existe la correduría con esquema «{schema}».")
        for tenant in tenants:
            with schema_context(tenant.schema_name):
                count = policies_expire_due(actor=None, today=today)
            self.stdout.write(f"{tenant.schema_name}: {count} pólizas vencidas.")
