"""Search refusals: one DomainError subclass with stable codes (search_*). A bad query is not one of
them: it answers with no results and a gentle message (apps.search.query)."""
from apps.core.errors import DomainError


class SearchError(DomainError):
    code = "search_error"
