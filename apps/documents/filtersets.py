"""Filters of the «Documentos» list and API: category, kind of record, expiry; plus the title search."""
import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _l

from apps.documents.access import record_kinds
from apps.documents.choices import ExpiryFilter
from apps.documents.models import Document, DocumentCategory
from apps.documents.selectors import with_expiry


def kind_label(kind: str) -> str:
    from django.apps import apps as django_apps

    try:
        return str(capfirst(django_apps.get_model(kind)._meta.verbose_name))
    except LookupError:
        return kind


def kind_choices() -> list[tuple[str, str]]:
    return sorted(((kind, kind_label(kind)) for kind in record_kinds()), key=lambda pair: pair[1])


class DocumentFilterSet(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(label=_l("Categoría"), queryset=DocumentCategory.objects.all())
    kind = django_filters.ChoiceFilter(label=_l("Registro"), choices=kind_choices, method="filter_kind")
    expiry = django_filters.ChoiceFilter(label=_l("Caducidad"), choices=ExpiryFilter.choices, method="filter_expiry")

    class Meta:
        model = Document
        fields = ["category", "kind", "expiry"]

    def filter_kind(self, queryset, name, value: str):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)

    def filter_expiry(self, queryset, name, value: str):
        return with_expiry(queryset, value)

    @staticmethod
    def search(queryset, query: str):
        query = (query or "").strip()
        return queryset.filter(title__icontains=query) if query else queryset
