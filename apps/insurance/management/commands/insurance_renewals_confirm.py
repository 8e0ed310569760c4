"""Confirms a month's pending renewal proposals in chunks through Celery (one task per chunk, one
transaction per chunk). With the embedded defaults Celery is eager, so the chunks run here."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_tenant_model, schema_context

from apps.insurance.services.renewals import CONFIRM_CHUNK


class Command(BaseCommand):
    help = ("Renueva las pólizas de las propuestas pendientes con vencimiento en un mes (AAAA-MM), por lotes "
            "encolados en Celery (de una correduría con --schema, o de todas).")

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="Mes de vencimiento AAAA-MM.")
        parser.add_argument("--chunk", type=int, default=CONFIRM_CHUNK, help="Propuestas por lote (por defecto 1000).")
        parser.add_argument("--schema", help="Esquema de la correduría (por defecto, todas las activas).")
        parser.add_argument("--sync", action="store_true", help="Ejecutar los lotes en este proceso, sin Celery.")
        parser.add_argument("--wait", action="store_true", help="Esperar a que terminen los lotes encolados.")

    def handle(self, *args, month, chunk, schema=None, sync=False, wait=False, **options):
        from apps.insurance.filtersets import month_range
        from apps.insurance.models import RenewalProposal
        from apps.insurance.choices import RenewalState
        from apps.insurance.services.renewals import renewals_confirm_many
        from apps.insurance.tasks import renewals_confirm_chunk

        try:
            first, last = month_range(month)
        except ValidationError:
            raise CommandError("El mes debe tener el formato AAAA-MM.") from None
        if chunk < 1:
            raise CommandError("El tamaño de lote debe ser al menos 1.")
        tenants = get_tenant_model().objects.exclude(schema_name="public")
        if schema:
            tenants = tenants.filter(schema_name=schema)
            if not tenants.exists():
                raise CommandError(f"No existe la correduría con esquema «{schema}».")
        for tenant in tenants:
            with schema_context(tenant.schema_name):
                ids = list(RenewalProposal.objects.filter(state=RenewalState.PENDING, expiry_date__gte=first,
                                                          expiry_date__lte=last)
                           .order_by("pk").values_list("pk", flat=True))
                chunks = [ids[start:start + chunk] for start in range(0, len(ids), chunk)]
                if sync:
                    renewed = renewals_confirm_many(actor=None, proposal_ids=ids, chunk_size=chunk)
                    self.stdout.write(f"{tenant.schema_name}: {renewed} de {len(ids)} renovadas en "
                                      f"{len(chunks)} lotes.")
                    continue
                results = [renewals_confirm_chunk.delay(part) for part in chunks]
                if wait:
                    renewed = sum(result.get()["renewed"] for result in results)
                    self.stdout.write(f"{tenant.schema_name}: {renewed} de {len(ids)} renovadas en "
                                      f"{len(chunks)} lotes.")
                else:
                    self.stdout.write(f"{tenant.schema_name}: {len(ids)} propuestas en {len(chunks)} lotes "
                                      f"encolados.")
