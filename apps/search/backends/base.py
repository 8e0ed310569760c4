"""What every backend answers: hits grouped by kind, each group with its total and the hits of the page."""
from dataclasses import dataclass, field


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    subtitle: str
    url: str
    score: float = 0.0


@dataclass
class Group:
    kind: str
    label: str
    icon: str
    total: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.total > len(self.hits)


@dataclass
class SearchResults:
    query: str
    groups: list[Group] = field(default_factory=list)
    message: str = ""

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


@dataclass(frozen=True)
class Scope:
    """One kind the user may search and the rows of it they may read (None: every row)."""

    source: object
    visible: object  # QuerySet of the source's model, or None for all rows
