"""Reads of the search: which kinds a user may search and the rows of each they may read (the same
selectors and permission rules as each app's list pages), and the grouped results of a query."""
from django.core.exceptions import EmptyResultSet
from django.utils.translation import gettext as _

from apps.search.backends import get_backend
from apps.search.backends.base import Group, Scope, SearchResults
from apps.search.errors import SearchError
from apps.search.query import clean_query
from apps.search.sources import sources

PER_KIND = 5


def _matches_nothing(queryset) -> bool:
    try:
        queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(), pk__in=[]
        return True
    return False


def scopes_for(user, kinds=None) -> list[Scope]:
    """One scope per kind the user may search; `visible` None when they may read every row of it."""
    scopes = []
    for source in sources():
        if kinds and source.kind not in kinds:
            continue
        visible = source.visible_queryset(user)
        if visible is None or _matches_nothing(visible):
            continue
        scopes.append(Scope(source, None if not visible.query.where else visible))
    return scopes


def search_for(user, raw_query, *, kinds=None, per_kind: int = PER_KIND, page: int = 1) -> SearchResults:
    """Hits grouped by kind (in the sources' order), each group with its total and `per_kind` hits of `page`."""
    cleaned = clean_query(raw_query)
    results = SearchResults(query=cleaned.text, message=str(cleaned.message))
    if not cleaned.text:
        return results
    scopes = scopes_for(user, kinds)
    try:
        found = get_backend().search(query=cleaned.text, scopes=scopes, per_kind=per_kind,
                                     offset=(max(page, 1) - 1) * per_kind) if scopes else {}
    except SearchError as exc:  # the search server is down: say so, never a 500
        results.message = exc.message
        return results
    for scope in scopes:
        if scope.source.kind in found:
            total, hits = found[scope.source.kind]
            results.groups.append(Group(scope.source.kind, str(scope.source.label), scope.source.icon, total, hits))
    if not results.groups:
        results.message = _("No hay resultados para «%(query)s».") % {"query": cleaned.text}
    return results


def parse_kinds(raw) -> list[str] | None:
    """"party,policy" -> ["party", "policy"] (unknown kinds dropped); None for every kind."""
    if not raw:
        return None
    known = {source.kind for source in sources()}
    return [kind for kind in str(raw).split(",") if kind.strip() in known] or None
