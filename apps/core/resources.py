"""A Resource declares a model's staff pages: list (filter, search, sort, paginate, export),
detail with history, create/edit form and delete. Apps build one and register it; the
generic views in apps.core.views.generic do the rest."""
from collections.abc import Callable
from dataclasses import dataclass, field

import django_filters
from django.urls import path
from django.utils.text import capfirst

from aitcore.registry import MenuEntry
from apps.core.permissions import perm_name
from apps.core.services.records import record_create, record_delete, record_update


@dataclass
class Resource:
    model: type
    section: str
    list_fields: list[str]
    search_fields: list[str] = field(default_factory=list)
    filter_fields: list[str] = field(default_factory=list)
    form_fields: list[str] = field(default_factory=list)
    detail_fields: list[str] | None = None
    icon: str = "bi-table"
    owner_field: str | None = None
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    default_ordering: tuple[str, ...] = ("-pk",)
    can_create: bool = True
    can_edit: bool = True
    can_delete: bool = True
    paginate_by: int = 25
    menu_order: int = 100
    detail_template: str = "core/generic/detail.html"
    # extra context for the detail page: callable(obj, request) -> dict (e.g. a 360° view)
    detail_context: Callable | None = None
    # a domain's own create/edit pages (URL names) instead of the generic form
    create_url_name: str | None = None
    update_url_name: str | None = None
    filterset_class: type | None = None
    form_class: type | None = None
    # The services the pages call; a domain passes its own (same keyword signature).
    create: Callable = record_create
    update: Callable = record_update
    delete: Callable = record_delete

    @property
    def key(self) -> str:
        return f"{self.model._meta.app_label}-{self.model._meta.model_name}"

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    @property
    def verbose_name_plural(self):
        return self.model._meta.verbose_name_plural

    def url_name(self, view: str) -> str:
        return f"ui:{self.key}-{view}"

    def perm(self, action: str) -> str:
        return perm_name(self.model, action)

    def menu_entry(self) -> MenuEntry:
        return MenuEntry(
            section=self.section, label=capfirst(self.verbose_name_plural), url_name=self.url_name("list"),
            icon=self.icon, permission=self.perm("view"), order=self.menu_order,
        )

    def base_queryset(self):
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs.order_by(*self.default_ordering)

    def get_filterset_class(self):
        if self.filterset_class:
            return self.filterset_class
        meta = type("Meta", (), {"model": self.model, "fields": self.filter_fields})
        return type(f"{self.model.__name__}FilterSet", (django_filters.FilterSet,), {"Meta": meta})

    def get_form_class(self):
        if self.form_class:
            return self.form_class
        from apps.core.forms import VersionedModelForm

        meta = type("Meta", (), {"model": self.model, "fields": self.form_fields})
        return type(f"{self.model.__name__}Form", (VersionedModelForm,), {"Meta": meta})

    def urlpatterns(self):
        from apps.core.views import generic

        prefix = f"{self.model._meta.app_label}/{self.model._meta.model_name}/"
        patterns = [
            path(prefix, generic.RecordListView.as_view(resource=self), name=f"{self.key}-list"),
            path(f"{prefix}<int:pk>/", generic.RecordDetailView.as_view(resource=self), name=f"{self.key}-detail"),
        ]
        if self.can_create:
            patterns.append(path(f"{prefix}nuevo/", generic.RecordCreateView.as_view(resource=self), name=f"{self.key}-create"))
        if self.can_edit:
            patterns.append(path(f"{prefix}<int:pk>/editar/", generic.RecordUpdateView.as_view(resource=self), name=f"{self.key}-update"))
        if self.can_delete:
            patterns.append(path(f"{prefix}<int:pk>/borrar/", generic.RecordDeleteView.as_view(resource=self), name=f"{self.key}-delete"))
        return patterns

