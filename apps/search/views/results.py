"""The search pages: /buscar/?q= (every kind the user may read, grouped, with counts and «ver más»; with
&tipo=<kind> one kind page by page) and /buscar/sugerencias/?q= (the top bar's live dropdown, via htmx)."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from apps.search.query import MAX_LENGTH
from apps.search.selectors import search_for
from apps.search.sources import source_for

KIND_PAGE_SIZE = 20
SUGGESTIONS_PER_KIND = 3
TITLE = _l("Buscar")


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


@login_required
@require_GET
def search_results_view(request):
    raw = request.GET.get("q", "")
    source = source_for(request.GET.get("tipo", ""))
    context = {"title": TITLE, "query": raw[:MAX_LENGTH], "max_length": MAX_LENGTH, "source": source}
    if source is None:
        context["results"] = search_for(request.user, raw)
    else:
        number = _page_number(request)
        results = search_for(request.user, raw, kinds=[source.kind], per_kind=KIND_PAGE_SIZE, page=number)
        group = results.groups[0] if results.groups else None
        context.update(results=results, group=group, page=Paginator(range(group.total if group else 0),
                                                                    KIND_PAGE_SIZE).get_page(number))
    return render(request, "search/results.html", context)


@login_required
@require_GET
def search_suggest_view(request):
    results = search_for(request.user, request.GET.get("q", ""), per_kind=SUGGESTIONS_PER_KIND)
    return render(request, "search/_suggestions.html", {"results": results})


urlpatterns = [
    path("", search_results_view, name="results"),
    path("sugerencias/", search_suggest_view, name="suggest"),
]
