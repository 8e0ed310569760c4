"""The search index of a brokerage (its own schema): one SearchEntry per indexed record, and the queue of
records to refresh (SearchPending) that events fill on commit and a Celery task drains in batches."""
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func
from django.utils.translation import gettext_lazy as _


class Unaccent(Func):
    """public.aitcore_unaccent(text): immutable, so it can sit in an index (created by migration 0001)."""

    function = "public.aitcore_unaccent"
    output_field = models.TextField()


class SearchEntry(models.Model):
    kind = models.CharField(_("tipo"), max_length=30)
    object_id = models.BigIntegerField(_("registro"))
    title = models.CharField(_("título"), max_length=300)
    subtitle = models.CharField(_("subtítulo"), max_length=300, blank=True)
    body = models.TextField(_("texto"), blank=True)
    url = models.CharField(_("dirección"), max_length=300)
    # setweight(to_tsvector('spanish', unaccent(title)), 'A') || subtitle 'B' || body 'C', written with the row
    # by apps.search.services.indexing (the same SQL for one record, a batch and the bench's million rows).
    search_vector = SearchVectorField(_("vector de búsqueda"), null=True, editable=False)
    updated_at = models.DateTimeField(_("indexado"), auto_now=True)

    class Meta:
        verbose_name = _("entrada del índice de búsqueda")
        verbose_name_plural = _("índice de búsqueda")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")]
        indexes = [
            GinIndex(fields=["search_vector"], name="search_entry_vector_gin"),
            GinIndex(OpClass(Unaccent(F("title")), name="gin_trgm_ops"), name="search_entry_title_trgm"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id}: {self.title}"


class SearchPending(models.Model):
    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_pending_unique")]
