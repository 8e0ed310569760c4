"""Reads of documents with a fixed number of queries: a record's documents (its panel), the documents a user
may see (the «Documentos» list, the API), one document or version after the access check, and the records the
documents hang on (label and page, one query per kind shown)."""
import datetime

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.documents.access import may_view_record, not_found, record_for, split_key, visible_documents
from apps.documents.choices import ExpiryFilter
from apps.documents.models import Document, DocumentVersion

SOON_DAYS = 30
# Pages of the kinds whose search source does not name one.
RECORD_URLS = {"insurance.quote": "insurance:quote-detail", "treasury.remittance": "treasury:remittance-detail"}
RECORD_LABELS = {"insurance.quote": "number", "treasury.remittance": "number"}
LIST_RELATED = ("category", "current_version", "created_by", "content_type")


def record_documents(key: str):
    """The (not deleted) documents of record `key`, newest first (the caller checked the access)."""
    kind, pk = split_key(key)
    app_label, model = kind.split(".")
    return (Document.objects.filter(content_type__app_label=app_label, content_type__model=model, object_id=pk)
            .select_related(*LIST_RELATED).order_by("-created_at", "-pk"))


def documents_for(user):
    """The documents `user` may see, with what the list shows."""
    return visible_documents(user).select_related(*LIST_RELATED).order_by("-created_at", "-pk")


def with_expiry(queryset, value: str, today: datetime.date | None = None):
    today = today or timezone.localdate()
    if value == ExpiryFilter.SOON:
        return queryset.filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=SOON_DAYS))
    if value == ExpiryFilter.EXPIRED:
        return queryset.filter(expires_on__lt=today)
    if value == ExpiryFilter.ANY:
        return queryset.filter(expires_on__isnull=False)
    return queryset


def document_for(user, pk) -> Document:
    """Document `pk` with its versions if `user` may view its record; else DocumentError 404."""
    versions = DocumentVersion.objects.select_related("created_by").order_by("-number")
    document = (Document.objects.select_related(*LIST_RELATED).prefetch_related(Prefetch("versions", versions))
                .filter(pk=pk).first())
    if document is None or not may_view_record(user, document.record_key):
        raise not_found()
    return document


def version_for(user, pk) -> DocumentVersion:
    """Version `pk` of a live document whose record `user` may view; else DocumentError 404."""
    version = DocumentVersion.objects.select_related("document__content_type").filter(
        pk=pk, document__deleted_at__isnull=True).first()
    if version is None:
        raise not_found()
    record_for(user, version.document.record_key)
    return version


def _source(kind: str):
    from apps.search.sources import sources

    return next((s for s in sources() if s.model._meta.label_lower == kind), None)


def record_url(kind: str, pk: int) -> str:
    source = _source(kind)
    name = RECORD_URLS.get(kind) or (source.url if source is not None and isinstance(source.url, str) else None)
    try:
        return reverse(name, args=[pk]) if name else ""
    except NoReverseMatch:
        return ""


def record_label(kind: str, record) -> str:
    """The record as its search hit titles it (a field of its own: no query per row), else str()."""
    from apps.search.sources import text_of

    source = _source(kind)
    spec = RECORD_LABELS.get(kind) or (source.title if source is not None else None)
    return (text_of(record, spec) if spec else "") or str(record)


def attach_records(documents) -> list:
    """Sets `record_label` and `record_url` on each document: one query per kind of record among them."""
    documents = list(documents)
    by_type = {}
    for document in documents:
        by_type.setdefault(document.content_type, set()).add(document.object_id)
    records = {}
    for content_type, ids in by_type.items():
        model = content_type.model_class()
        found = model._default_manager.in_bulk(ids) if model is not None else {}
        records.update({(content_type.pk, pk): obj for pk, obj in found.items()})
    for document in documents:
        record = records.get((document.content_type_id, document.object_id))
        kind = document.record_kind
        document.record_label = record_label(kind, record) if record is not None else "—"
        document.record_url = record_url(kind, document.object_id) if record is not None else ""
    return documents
