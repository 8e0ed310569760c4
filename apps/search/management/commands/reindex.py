"""manage.py reindex [--schema alfa ...] [--kinds party,policy]: rebuilds the search index of each active
brokerage (or the ones named) in bulk, printing one progress line per kind."""
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from apps.core.errors import DomainError
from apps.search.services.indexing import search_reindex
from apps.tenancy.selectors import active_schemas


class Command(BaseCommand):
    help = "Reconstruye el índice de búsqueda de cada correduría (o de las indicadas)."

    def add_arguments(self, parser):
        parser.add_argument("--schema", action="append", dest="schemas", help="esquema de la correduría (repetible)")
        parser.add_argument("--kinds", default="", help="tipos separados por comas (por defecto, todos)")

    def handle(self, *args, schemas=None, kinds="", **options):
        known = set(active_schemas())
        chosen = schemas or sorted(known)
        unknown = sorted(set(chosen) - known)
        if unknown:
            raise CommandError(f"Correduría desconocida o inactiva: {', '.join(unknown)}")
        kind_list = [kind.strip() for kind in kinds.split(",") if kind.strip()] or None
        for schema in chosen:
            with schema_context(schema):
                try:
                    counts = search_reindex(kinds=kind_list, progress=self._progress(schema))
                except DomainError as exc:
                    raise CommandError(exc.message) from exc
            self.stdout.write(f"\r{schema}: " + ", ".join(f"{kind} {count}" for kind, count in counts.items())
                              + " " * 20)

    def _progress(self, schema):
        def show(kind, done, total):
            self.stdout.write(f"\r{schema} · {kind}: {done}/{total}", ending="")
            self.stdout.flush()

        return show
