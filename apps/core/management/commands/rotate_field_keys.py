"""Re-encrypts every encrypted column with the first FIELD_ENCRYPTION_KEYS key and recomputes the blind
indexes with the current FIELD_HASH_KEY, schema by schema. Rotation: put the new key FIRST in
FIELD_ENCRYPTION_KEYS (keep the old ones after it), restart, run this command, then remove the old keys."""
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name, get_tenant_model, schema_context

from apps.core.encryption import (
    EncryptedTextField, HealthJSONField, KeyConfigurationError, encrypted_fields, rewrite_json_column,
    rewrite_text_column, using_dev_keys,
)


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


def _table_exists(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [table])
        return cursor.fetchone()[0] is not None


class Command(BaseCommand):
    help = ("Vuelve a cifrar los campos cifrados con la primera clave de FIELD_ENCRYPTION_KEYS y recalcula los "
            "índices ciegos con FIELD_HASH_KEY, en cada correduría (o en --schema).")

    def add_arguments(self, parser):
        parser.add_argument("--schema", action="append", help="Esquema a tratar (repetible); por defecto, todos.")

    def _schemas(self, wanted):
        if wanted:
            return wanted
        from django.conf import settings

        names = list(get_tenant_model().objects.exclude(schema_name=get_public_schema_name())
                     .order_by("schema_name").values_list("schema_name", flat=True))
        base = getattr(settings, "TENANT_BASE_SCHEMA", "")
        if base and base not in names and _schema_exists(base):
            names.insert(0, base)
        return names

    def handle(self, *args, schema=None, **options):
        if using_dev_keys():
            self.stderr.write(self.style.WARNING("Atención: se están usando las claves de DESARROLLO."))
        total = 0
        for name in self._schemas(schema):
            with schema_context(name), transaction.atomic():
                counts = []
                for model, field in encrypted_fields():
                    table = model._meta.db_table
                    if not _table_exists(table):
                        continue
                    try:
                        if isinstance(field, EncryptedTextField):
                            done = rewrite_text_column(connection, table, field.column, hash_column=(
                                model._meta.get_field(field.blind_index).column if field.blind_index else None),
                                normalise=field.normalise)
                        elif isinstance(field, HealthJSONField):
                            done = rewrite_json_column(connection, table, field.column, rotate=True)
                        else:
                            continue
                    except KeyConfigurationError as exc:
                        raise CommandError(f"{name}: {exc}") from None
                    counts.append(f"{table}.{field.column}={done}")
                    total += done
            self.stdout.write(f"{name}: " + (", ".join(counts) or "sin tablas cifradas"))
        self.stdout.write(self.style.SUCCESS(f"Hecho: {total} valores cifrados de nuevo con la clave actual."))
