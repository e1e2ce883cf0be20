"""The search results page around the API's search: reading the query string with the API's own
input serializer (same bounds, same meaning), and turning the backend's facet counts into links.

Nothing here searches: `search.selectors.product_search` / `factory_search` answer, exactly as
for GET /api/v1/search/products/ and /factories/.
"""

import unicodedata
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from factories.models import Category, IndustrialBelt
from factories.selectors import category_list
from search.api import SearchInputSerializer
from search.backends import SearchParams
from search.range_facets import MOQ_CEILINGS, PRICE_RANGES, RANGE_FACETS, PriceRange
from search.shapes import FacetBucket

PAGE_SIZE = 24
# Far past any real catalogue; it only keeps OFFSET a small number whatever the URL says.
MAX_PAGE = 1000
FILTERS = (
    "q",
    "category",
    "province",
    "industrial_belt",
    "price_min",
    "price_max",
    "moq_max",
    "customizable",
    "trial_eligible",
    "verified_only",
    "sort",
)
TABS = ("products", "factories")
SORT_LABELS = {
    "relevance": _("Best match"),
    "price": _("Price: low to high"),
    "-price": _("Price: high to low"),
    "newest": _("Newest"),
}


def _printable(text: str) -> str:
    # Control characters (a pasted NUL, a stray escape) are never part of a search.
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


@dataclass
class SearchRequest:
    params: SearchParams
    page: int
    tab: str
    filters: dict[str, str]  # what the page shows and keeps in its links (only the valid ones)
    ignored: list[str] = field(default_factory=list)


def parse(query: QueryDict, *, page: int | None = None) -> SearchRequest:
    """The API's serializer reads the filters; a filter it refuses is dropped (and named), not an
    error page: a hand-edited URL still shows results."""
    raw = {name: query.get(name, "").strip() for name in FILTERS}
    raw = {name: value for name, value in raw.items() if value}
    if "q" in raw:
        raw["q"] = _printable(raw["q"])[:200].strip()
    data = SearchInputSerializer(data=raw)
    ignored = []
    if not data.is_valid():
        ignored = [name for name in FILTERS if name in data.errors]
        raw = {name: value for name, value in raw.items() if name not in data.errors}
        data = SearchInputSerializer(data=raw)
        data.is_valid(raise_exception=True)  # what is left passed once already
    if page is None:
        try:
            page = int(query.get("page", "1"))
        except ValueError:
            page = 1
    page = min(max(page, 1), MAX_PAGE)
    params = data.to_params()
    params = SearchParams(**{**params.__dict__, "offset": (page - 1) * PAGE_SIZE, "limit": PAGE_SIZE})
    tab = query.get("tab", "products")
    return SearchRequest(
        params=params,
        page=page,
        tab=tab if tab in TABS else "products",
        filters={name: raw[name] for name in FILTERS if raw.get(name)},
        ignored=ignored,
    )


def link(filters: dict[str, str], tab: str = "products", **changes: object) -> str:
    """The query string of this search with `changes` (None removes a filter). Any change of a
    filter starts again at page 1; the page number is only kept by the pager."""
    query = QueryDict(mutable=True)
    merged = {**filters, **changes}
    if tab != "products":
        query["tab"] = tab
    for name in (*FILTERS, "page"):
        value = merged.get(name)
        if value not in (None, ""):
            query[name] = str(value)
    return "?" + query.urlencode() if query else "?"


@dataclass
class FacetValue:
    key: str
    label: str
    count: int | None
    url: str
    selected: bool
    children: list["FacetValue"] = field(default_factory=list)


def category_tree(
    counts: list[FacetBucket], req: SearchRequest, categories: list[Category], *, sum_children: bool
) -> list[FacetValue]:
    """Top-level categories with their children, each with its count. Products sit on leaves, so
    a top category's product count is the sum of its children's (`sum_children`); factories
    name categories at both levels, so there only the children carry a number."""
    by_slug = {row["key"]: row["count"] for row in counts}
    chosen = req.filters.get("category", "")
    children: dict[int, list[Category]] = {}
    for c in categories:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(c)
    tree = []
    for top in (c for c in categories if c.parent_id is None):
        kids = [
            FacetValue(
                key=c.slug,
                label=c.display_name,
                count=by_slug[c.slug],
                url=link(req.filters, req.tab, category=c.slug),
                selected=c.slug == chosen,
            )
            for c in children.get(top.pk, [])
            if by_slug.get(c.slug)
        ]
        # Factories: one naming the top category and one naming two of its children are counted
        # apart (a sum would count the second twice), so no number is exact there: show none.
        count = (by_slug.get(top.slug) or sum(k.count or 0 for k in kids) or None) if sum_children else None
        if not by_slug.get(top.slug) and not kids:
            continue
        tree.append(
            FacetValue(
                key=top.slug,
                label=top.display_name,
                count=count,
                url=link(req.filters, req.tab, category=top.slug),
                selected=top.slug == chosen or any(k.selected for k in kids),
                children=kids,
            )
        )
    return tree


def facet_values(
    name: str, counts: list[FacetBucket], req: SearchRequest, labels: dict[str, str]
) -> list[FacetValue]:
    chosen = req.filters.get(name, "")
    return [
        FacetValue(
            key=row["key"],
            label=labels.get(row["key"], row["key"]),
            count=row["count"],
            url=link(req.filters, req.tab, **{name: row["key"]}),
            selected=row["key"] == chosen,
        )
        for row in counts
    ]


@dataclass
class Facets:
    category: list[FacetValue]
    province: list[FacetValue]
    industrial_belt: list[FacetValue]
    chosen: list[dict]  # the filters in force, each with the link that removes it
    # Products only (search/range_facets.py): price ranges, MOQ ceilings, yes/no filters.
    price: list[FacetValue] = field(default_factory=list)
    moq: list[FacetValue] = field(default_factory=list)
    flags: list[FacetValue] = field(default_factory=list)


def _price_label(r: PriceRange) -> str:
    low, _sep, high = r.key.partition("-")  # the key's round numbers read better than ¥49.99
    if r.low is None:
        return _("Under ¥%(high)s") % {"high": high}
    if r.high is None:
        return _("¥%(low)s and up") % {"low": low}
    return _("¥%(low)s–%(high)s") % {"low": low, "high": high}


def range_facets(found: dict[str, list[FacetBucket]], req: SearchRequest) -> dict[str, list[FacetValue]]:
    """Each value is a link that sets the filter it counted (a range sets both ends, inclusive);
    a chosen yes/no value links to its removal."""
    counts = {name: {row["key"]: row["count"] for row in found.get(name, [])} for name in RANGE_FACETS}
    p = req.params
    price = [
        FacetValue(
            key=r.key,
            label=_price_label(r),
            count=counts["price"][r.key],
            url=link(req.filters, req.tab, price_min=r.low, price_max=r.high),
            selected=(p.price_min, p.price_max) == (r.low, r.high),
        )
        for r in PRICE_RANGES
        if counts["price"].get(r.key)
    ]
    moq = [
        FacetValue(
            key=str(n),
            label=_("Up to %(n)s units") % {"n": n},
            count=counts["moq"][str(n)],
            url=link(req.filters, req.tab, moq_max=n),
            selected=p.moq_max == n,
        )
        for n in MOQ_CEILINGS
        if counts["moq"].get(str(n))
    ]
    flags = []
    for name in YES_NO:
        n = counts[name].get("true")
        on = getattr(p, name) is True
        if n or on:
            flags.append(
                FacetValue(
                    key=name,
                    label=str(FLAG_LABELS[name]),
                    count=n,
                    url=link(req.filters, req.tab, **{name: None if on else "true"}),
                    selected=on,
                )
            )
    return {"price": price, "moq": moq, "flags": flags}


def facets(found: dict[str, list[FacetBucket]], req: SearchRequest) -> Facets:
    """Two small reads (categories, the belts named) to put names on the backend's slugs."""
    categories = list(category_list())
    belt_slugs = [row["key"] for row in found.get("industrial_belt", [])]
    if req.filters.get("industrial_belt"):
        belt_slugs.append(req.filters["industrial_belt"])
    belts = {b.slug: b.display_name for b in IndustrialBelt.objects.filter(slug__in=belt_slugs)}
    names = {
        "category": {c.slug: c.display_name for c in categories},
        "industrial_belt": belts,
    }
    return Facets(
        category=category_tree(
            found.get("category", []), req, categories, sum_children=req.tab == "products"
        ),
        province=facet_values("province", found.get("province", []), req, {}),
        industrial_belt=facet_values("industrial_belt", found.get("industrial_belt", []), req, belts),
        chosen=chosen_filters(req, names),
        **range_facets(found, req),
    )


FILTER_NAMES = {
    "q": _("Keyword"),
    "category": _("Category"),
    "province": _("Province or region"),
    "industrial_belt": _("Industrial belt"),
    "price_min": _("Min price"),
    "price_max": _("Max price"),
    "moq_max": _("MOQ up to"),
    "customizable": _("Customizable"),
    "trial_eligible": _("50%-off trial"),
    "verified_only": _("Verified factories only"),
}
YES_NO = ("customizable", "trial_eligible", "verified_only")
FLAG_LABELS = {
    "customizable": _("Customizable"),
    "trial_eligible": _("50%-off trial available"),
    "verified_only": _("Verified factories only"),
}


def chosen_filters(req: SearchRequest, names: dict[str, dict[str, str]]) -> list[dict]:
    chips = []
    for name, title in FILTER_NAMES.items():
        value = req.filters.get(name)
        if not value:
            continue
        if name in YES_NO:
            shown = str(_("Yes") if getattr(req.params, name) else _("No"))
        else:
            shown = names.get(name, {}).get(value, value)
        chips.append({"name": title, "value": shown, "url": link(req.filters, req.tab, **{name: None})})
    return chips
