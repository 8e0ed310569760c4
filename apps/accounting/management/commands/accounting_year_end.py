import datetime

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_tenant_model, schema_context

from apps.core.errors import DomainError


class Command(BaseCommand):
    help = ("Cierre del ejercicio de una correduría: regularización, asiento de cierre y apertura del siguiente "
            "(o, con --reopen, deshace el cierre mientras el ejercicio siguiente no tenga otros asientos).")

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True, help="Esquema de la correduría.")
        parser.add_argument("--year", required=True, help="Nombre del ejercicio (p. ej. 2025).")
        parser.add_argument("--reopen", action="store_true", help="Deshacer el cierre.")
        parser.add_argument("--preview", action="store_true", help="Solo mostrar qué se haría.")

    def handle(self, *args, schema, year, reopen=False, preview=False, **options):
        from apps.accounting.models import FiscalYear
        from apps.accounting.services.year_end import (
            year_end_close, year_end_preview, year_end_reopen, year_end_result_message,
        )
        from apps.core.money import format_eur

        if not get_tenant_model().objects.filter(schema_name=schema).exists():
            raise CommandError(f"No existe la correduría con esquema «{schema}».")
        with schema_context(schema):
            fiscal_year = FiscalYear.objects.filter(name=year).first()
            if fiscal_year is None:
                raise CommandError(f"No existe el ejercicio {year}.")
            if preview:
                data = year_end_preview(fiscal_year=fiscal_year)
                self.stdout.write(f"Ejercicio {fiscal_year.name}: ingresos {format_eur(data['income'])}, gastos "
                                  f"{format_eur(data['expenses'])}, resultado {format_eur(data['result'])}; "
                                  f"{data['result_accounts']} cuentas a regularizar, {data['balance_accounts']} de "
                                  f"balance a cerrar.")
                for problem in data["close_problems"] if not data["is_closed"] else data["reopen_problems"]:
                    self.stdout.write(f"  - {problem}")
                return
            started = datetime.datetime.now()
            try:
                if reopen:
                    reversals = year_end_reopen(actor=None, fiscal_year=fiscal_year)
                    message = f"Cierre deshecho: {len(reversals)} asientos anulados."
                else:
                    message = year_end_result_message(year_end_close(actor=None, fiscal_year=fiscal_year))
            except DomainError as exc:
                raise CommandError(exc.message) from None
        seconds = (datetime.datetime.now() - started).total_seconds()
        self.stdout.write(self.style.SUCCESS(f"{message} ({seconds:.1f} s)"))
