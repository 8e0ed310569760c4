"""The engine registry: apps register their engines in AppConfig.ready().

An engine is a typed service: a form (inputs, cleaned_data stored as JSON) and a compute function
compute(*, params: dict, progress: Progress, actor) -> result dict (see ENGINE result convention in
apps/engines/results.py). progress(pct, message) reports live and raises EngineCancelled if the run
was cancelled meanwhile.
"""
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Protocol

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.engines.errors import EngineCancelled, EngineInputError, EngineNotFound  # noqa: F401 (re-exported)

CATEGORIES = OrderedDict([
    ("actuarial", _("Actuarial")),
    ("statistics", _("Estadística")),
    ("financial", _("Financiero")),
    ("ml", _("Aprendizaje automático")),
])


class Progress(Protocol):
    def __call__(self, pct: int, message: str = "") -> None: ...


@dataclass(frozen=True)
class Engine:
    key: str                        # "actuarial.chain_ladder", "statistics.describe", "ml.churn"
    label: str                      # Spanish (gettext_lazy)
    category: str                   # "actuarial" | "statistics" | "financial" | "ml"
    form_class: type[forms.Form]    # typed inputs; cleaned_data is stored as JSON (DjangoJSONEncoder)
    compute: Callable[..., dict]    # compute(*, params: dict, progress: Progress, actor) -> result dict
    description: str = ""
    permission: str = "engines.run_engine"
    result_template: str = "engines/_result.html"

    @property
    def category_label(self):
        return CATEGORIES.get(self.category, self.category)


_ENGINES: "OrderedDict[str, Engine]" = OrderedDict()


def register(engine: Engine) -> Engine:
    if engine.category not in CATEGORIES:
        raise ValueError(f"Unknown engine category {engine.category!r}")
    existing = _ENGINES.get(engine.key)
    if existing is not None and existing != engine:
        raise ValueError(f"Engine {engine.key!r} is already registered")
    _ENGINES[engine.key] = engine
    return engine


def unregister(key: str) -> None:
    _ENGINES.pop(key, None)


def get(key: str) -> Engine:
    try:
        return _ENGINES[key]
    except KeyError:
        raise EngineNotFound(_("No existe el motor «%(key)s».") % {"key": key}) from None


def all() -> list[Engine]:  # noqa: A001 - the interface name
    return list(_ENGINES.values())


def by_category() -> "OrderedDict[str, list[Engine]]":
    grouped: OrderedDict = OrderedDict((c, []) for c in CATEGORIES)
    for engine in _ENGINES.values():
        grouped.setdefault(engine.category, []).append(engine)
    return OrderedDict((c, e) for c, e in grouped.items() if e)
