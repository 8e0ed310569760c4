from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_tenant_model, schema_context

from apps.core.errors import DomainError


class Command(BaseCommand):
    help = ("Prepara la contabilidad (plan contable, diarios, impuestos, cuentas por función, series de facturas y "
            "el ejercicio en curso) en corredurías ya existentes. Se puede repetir: solo añade lo que falta.")

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--schema", help="Esquema de la correduría (p. ej. demo).")
        target.add_argument("--all", action="store_true", help="Todas las corredurías.")
        parser.add_argument("--year", type=int, help="Ejercicio a crear además del año en curso.")

    def handle(self, *args, schema=None, all=False, year=None, **options):
        from apps.accounting.models import Account, Journal, Tax
        from apps.accounting.services import accounting_setup, fiscal_year_for_calendar_year

        tenants = get_tenant_model().objects.exclude(schema_name="public").order_by("schema_name")
        if schema:
            tenants = tenants.filter(schema_name=schema)
            if not tenants.exists():
                raise CommandError(f"No existe la correduría con esquema «{schema}».")
        failures = 0
        for tenant in tenants:
            with schema_context(tenant.schema_name):
                before = Account.objects.count()
                try:
                    accounting_setup(actor=None, chart=tenant.chart_of_accounts)
                    if year:
                        fiscal_year_for_calendar_year(actor=None, year=year)
                except DomainError as exc:
                    failures += 1
                    self.stdout.write(self.style.ERROR(f"{tenant.schema_name}: {exc.message}"))
                    continue
                self.stdout.write(
                    f"{tenant.schema_name}: {tenant.get_chart_of_accounts_display()}, "
                    f"{Account.objects.count() - before} cuentas nuevas ({Account.objects.count()} en total), "
                    f"{Journal.objects.count()} diarios, {Tax.objects.count()} impuestos.")
        if failures:
            raise CommandError(f"No se pudo preparar la contabilidad de {failures} correduría(s).")
