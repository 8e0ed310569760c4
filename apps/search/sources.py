"""What each app indexes: a SearchSource per kind of record, declared in apps/<app>/search.py and registered
in aitcore.registry (search_indexes). apps.search finds those modules at ready(), so adding a source never
means editing this app.

A source says which model, its Spanish label, the text of a hit (title, subtitle, body: field paths with
"__" or callables), its URL (a URL name reversed with the pk, or a callable), and who may read which rows:
`visible(user)` returns a queryset or Q of the model (None: nothing), applied in SQL with the search."""
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.db.models import Q, QuerySet
from django.urls import reverse

from aitcore.registry import registry

TextSpec = str | Callable | tuple


@dataclass(frozen=True, eq=False)
class SearchSource:
    kind: str  # stable key stored in the index ("party", "policy"...)
    label: str  # Spanish plural shown as the group's title ("Clientes")
    model: type
    title: TextSpec
    url: str | Callable  # URL name taking the pk, or callable(obj) -> str
    visible: Callable  # visible(user) -> QuerySet | Q | None
    subtitle: TextSpec = ""
    body: TextSpec = ""
    permission: str | None = None  # checked before visible(): without it the user sees no hit of this kind
    icon: str = "bi-search"
    order: int = 100
    select_related: tuple = ()
    prefetch_related: tuple = ()
    # Other records whose events change this source's text: (event prefix, lookup), e.g. a party renamed
    # ("crm.party", "policyholder") refreshes the policies whose policyholder it is.
    follows: tuple = ()
    # Extra events naming many records: event name -> callable(payload) -> queryset or iterable of pks.
    events: dict = field(default_factory=dict)

    @property
    def event_prefix(self) -> str:
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}."

    def queryset(self) -> QuerySet:
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def visible_queryset(self, user) -> QuerySet | None:
        """The rows `user` may read (None: none at all, so the kind is left out of the search)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if self.permission and not user.has_perm(self.permission):
            return None
        visible = self.visible(user)
        if visible is None:
            return None
        if isinstance(visible, Q):
            visible = self.model._default_manager.filter(visible)
        return visible

    def url_for(self, obj) -> str:
        return self.url(obj) if callable(self.url) else reverse(self.url, args=[obj.pk])

    def document(self, obj) -> dict:
        """The text of one record as the index stores it."""
        return {"kind": self.kind, "object_id": obj.pk, "title": text_of(obj, self.title)[:300],
                "subtitle": text_of(obj, self.subtitle)[:300], "body": text_of(obj, self.body)[:20000],
                "url": self.url_for(obj)[:300]}


def _is_manager(obj) -> bool:
    return hasattr(obj, "all") and hasattr(obj, "model")


_CHOICES: dict = {}


def _choice_label(obj, name: str):
    """obj.get_<field>_display() without Django's per-call hashing of every (lazy) label of the field."""
    field = name[len("get_"):-len("_display")]
    key = (type(obj), field)
    if key not in _CHOICES:
        _CHOICES[key] = dict(obj._meta.get_field(field).flatchoices)
    value = getattr(obj, field)
    return _CHOICES[key].get(value, value)


def _value(obj, path: str):
    """The value at a "__" path; through a to-many relation, every related row's value joined by spaces."""
    parts = path.split("__")
    for position, part in enumerate(parts):
        if obj is None:
            return None
        if _is_manager(obj):
            rest = "__".join(parts[position:])
            return " ".join(str(v) for v in (_value(item, rest) for item in obj.all()) if v not in (None, ""))
        if part.startswith("get_") and part.endswith("_display"):
            obj = _choice_label(obj, part)
            continue
        obj = getattr(obj, part)
        if callable(obj) and not _is_manager(obj):
            obj = obj()
    if _is_manager(obj):
        return " ".join(str(item) for item in obj.all())
    return obj


def text_of(obj, spec: TextSpec) -> str:
    """A field path ("policyholder__display_name"), a callable(obj) or a tuple of them joined with « · »."""
    if not spec:
        return ""
    if isinstance(spec, tuple):
        return " · ".join(part for part in (text_of(obj, item) for item in spec) if part)
    value = spec(obj) if callable(spec) else _value(obj, spec)
    return "" if value is None else str(value).strip()


def register_source(source: SearchSource) -> None:
    if all(getattr(s, "kind", None) != source.kind for s in registry.search_indexes):
        registry.register_search_index(source)


def sources() -> list[SearchSource]:
    """Registered sources in display order (older dict declarations in the registry are not sources)."""
    found = [s for s in registry.search_indexes if isinstance(s, SearchSource)]
    return sorted(found, key=lambda s: (s.order, s.kind))


def source_for(kind: str) -> SearchSource | None:
    return next((s for s in sources() if s.kind == kind), None)


def discover_sources() -> None:
    """Imports apps/<app>/search.py of every installed app of the project (each registers its sources)."""
    for config in django_apps.get_app_configs():
        if not config.name.startswith("apps.") or config.name == "apps.search":
            continue
        module = f"{config.name}.search"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
