"""GET search/: the search results page. The API's search answers (search.selectors); the rows
of a product page are read as the API reads them (search.results), so page and API never differ."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from factories.models import Factory
from marketplace.core.public_cache import public_fragment, public_page
from search import selectors
from search.backends import SearchUnavailable
from search.backends.base import SearchPage
from search.results import ProductJson, product_results

from .. import search_page
from ..search_page import FILTER_NAMES, PAGE_SIZE, SORT_LABELS

IGNORED_NAMES = {**FILTER_NAMES, "sort": _lazy("Sort")}


def _run(req: search_page.SearchRequest) -> tuple[SearchPage, list[Factory] | None]:
    if req.tab == "factories":
        page, rows = selectors.factory_search(params=req.params)
        return page, rows
    page = selectors.product_search(params=req.params)
    return page, None


def _content(request: HttpRequest, req: search_page.SearchRequest) -> str:
    """The page's main part. It reads nothing of the user, so every visitor shares one copy."""
    page, factories = _run(req)
    last = max(1, -(-page.count // PAGE_SIZE))
    if req.page > last:  # past the end (an old link, a hand-edited URL): show the last page
        req = search_page.parse(request.GET, page=last)
        page, factories = _run(req)
    # The factories tab's rows are Factory objects, the products tab's the API's JSON rows.
    rows: list[Factory] | list[ProductJson] = (
        factories if factories is not None else product_results(ids=page.ids, request=request)
    )
    pages = max(1, -(-page.count // PAGE_SIZE))
    context = {
        "req": req,
        "params": req.params,
        "count": page.count,
        # Past settings.SEARCH_COUNT_CAP the count is a lower bound ("5,000+") and the facet
        # counts come from about as many results (search/backends/base.py SearchPage).
        "count_exact": page.count_exact,
        "facets_exact": page.facets_exact,
        "cap": f"{settings.SEARCH_COUNT_CAP:,}",
        "relaxed": page.relaxed,
        "rows": rows,
        "facets": search_page.facets(page.facets, req),
        "sorts": SORT_LABELS.items(),
        "tabs": {
            "products": search_page.link(req.filters, "products"),
            "factories": search_page.link(req.filters, "factories"),
        },
        "pages": pages,
        "previous": search_page.link(req.filters, req.tab, page=req.page - 1) if req.page > 1 else None,
        "next": search_page.link(req.filters, req.tab, page=req.page + 1) if req.page < pages else None,
        "ignored": [str(IGNORED_NAMES.get(n, n)) for n in req.ignored],
    }
    return render_to_string("frontend/_search_content.html", context, request)


@public_page
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    req = search_page.parse(request.GET)
    try:
        content = public_fragment(request, "search-page", lambda: _content(request, req))
    except SearchUnavailable:
        content = render_to_string(
            "frontend/_search_content.html",
            {"req": req, "unavailable": True, "sorts": SORT_LABELS.items()},
            request,
        )
        return render(request, "frontend/search.html", {"req": req, "content": content}, status=503)
    return render(request, "frontend/search.html", {"req": req, "content": content})
