from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import DomainError
from apps.tenancy.services.provisioning import tenant_provision


class Command(BaseCommand):
    help = "Da de alta una correduría: esquema clonado de la plantilla, dominio y usuario administrador."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--domain", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", required=True)
        parser.add_argument("--tax-id", default="B12345674", help="NIF/CIF de la correduría.")
        parser.add_argument("--dgsfp-code", default="")
        parser.add_argument("--plan", default="professional")
        parser.add_argument("--chart", default="pgc_pymes", choices=["pgc_pymes", "pgc_normal"],
                            help="Plan contable: PGC PYMES o PGC normal.")
        parser.add_argument("--migrate", action="store_true", help="Migrar en lugar de clonar la plantilla.")

    def handle(self, *args, **o):
        try:
            tenant = tenant_provision(
                actor=None, schema=o["schema"], name=o["name"], tax_id=o["tax_id"], domain=o["domain"],
                admin_email=o["admin_email"], admin_password=o["admin_password"], dgsfp_code=o["dgsfp_code"],
                plan=o["plan"], chart_of_accounts=o["chart"], use_template=not o["migrate"],
            )
        except ValidationError as exc:
            lines = [f"  {field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            raise CommandError("Datos no válidos:\n" + "\n".join(lines)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        how = "migraciones" if o["migrate"] else "clonación de plantilla"
        self.stdout.write(self.style.SUCCESS(
            f"Correduría «{tenant.name}» creada en el esquema {tenant.schema_name} ({o['domain']}) "
            f"en {tenant.provisioning_seconds} s por {how}."
        ))
