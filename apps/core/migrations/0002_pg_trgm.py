from django.db import migrations

# Extensions live in public (on every tenant's search_path), installed once per database.
SQL = "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
