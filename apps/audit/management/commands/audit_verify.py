from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_tenant_model, schema_context

from apps.audit.services import audit_verification_run


class Command(BaseCommand):
    help = "Verifica la cadena de hashes de la auditoría de cada correduría (o de --schema)."

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="Esquema a verificar; por defecto, todos.")

    def handle(self, *args, schema=None, **options):
        schemas = [schema] if schema else ["public"] + list(
            get_tenant_model().objects.exclude(schema_name="public").values_list("schema_name", flat=True)
        )
        failures = 0
        for name in schemas:
            with schema_context(name):
                report = audit_verification_run(actor=None)  # stored: the audit viewer shows the latest
            if report.ok:
                self.stdout.write(f"{name}: OK, {report.checked} eventos verificados.")
                continue
            failures += 1
            self.stdout.write(self.style.ERROR(f"{name}: cadena ROTA en {report.broken_count} punto(s):"))
            for event_id, reason in report.broken:
                self.stdout.write(f"  evento #{event_id}: {reason}")
        if failures:
            raise CommandError(f"Auditoría alterada en {failures} esquema(s).")
