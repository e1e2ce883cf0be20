"""Products on PostgreSQL: facet counts per (category, province, belt) combination.

ProductFilter and ProductText rows point at their FacetCombo (a few thousand exist at most)
instead of carrying the four text columns. Counting what passes the filters then groups by one
integer, ~2.5× faster than by three strings over a broad filter of 100k products (the costliest
search there is), and which combination counts towards which facet is decided here once per
combination, not once per row.
"""

from collections import defaultdict

from django.contrib.postgres.search import SearchQuery
from django.db.models import Q

from ...models import FacetCombo
from ...shapes import FacetBucket
from . import ranges
from .common import FACET_KEY, FACET_LIMIT, GroupedRow, Labels, facet_lexeme

# Column positions in a combination's key, and the facet each one is the key of.
CATEGORY, PARENT, PROVINCE, BELT = range(4)
# A combination's key: (category_slug, parent_category_slug, province, industrial_belt).
ComboKey = tuple[str, ...]
FACET_KEYS = {"category": CATEGORY, "province": PROVINCE, "industrial_belt": BELT}

# FacetCombo id → key. A combination row is never changed or deleted and ids are never reused,
# so what is read once stays true; `manage.py flush` (which resets ids) clears it (search/apps.py).
_known: dict[int, ComboKey] = {}


def forget_combos(**kwargs: object) -> None:  # a signal receiver
    _known.clear()


def _keys(ids: list[int]) -> dict[int, ComboKey]:
    missing = [pk for pk in ids if pk not in _known]
    if missing:
        for pk, *key in FacetCombo.objects.filter(pk__in=missing).values_list("pk", *FACET_KEY):
            _known[pk] = tuple(key)
    return _known


def facet_q(name: str, value: str) -> Q:
    """A product facet filter over FacetCombo's / ProductDocument's columns (empty: no filter).
    `_passes` is the same test on one combination, in Python: change both together."""
    if not value:
        return Q()
    if name == "category":  # a top-level category means all of its children too
        return Q(category_slug=value) | Q(parent_category_slug=value)
    return Q(**{name: value})


def _passes(key: ComboKey, name: str, value: str) -> bool:
    """facet_q(name, value) for one combination's key."""
    if name == "category":
        return value in (key[CATEGORY], key[PARENT])
    return key[FACET_KEYS[name]] == value


def tally_grouped(
    rows: list[GroupedRow], chosen: dict[str, str], labels: Labels
) -> tuple[int, dict[str, list[FacetBucket]]]:
    """(total, facets) from ranges.grouped_sql rows (facet_id, n, range counts …): `n` (rows
    passing every range filter) feeds the total and the category / province / belt facets
    (tally); the range counts of the combinations that pass every category / province / belt
    filter make the range facets."""
    total, facets = tally([(row[0], row[1]) for row in rows if row[1]], chosen)
    active = [(name, value) for name, value in chosen.items() if value]
    if active:
        keys = _keys([row[0] for row in rows])
        rows = [row for row in rows if all(_passes(keys[row[0]], name, value) for name, value in active)]
    return total, {**facets, **ranges.summed(rows, labels)}


def tally(pairs: list[tuple[int, int]], chosen: dict[str, str]) -> tuple[int, dict[str, list[FacetBucket]]]:
    """(total, facets) from (combination id, rows) pairs. The total counts rows passing every facet
    filter; each facet counts the rows that pass the *other* facet filters, as in every backend."""
    keys = _keys([pk for pk, _ in pairs])
    active = [(name, value) for name, value in chosen.items() if value]
    total = 0
    category: defaultdict[str, int] = defaultdict(int)
    province: defaultdict[str, int] = defaultdict(int)
    belt: defaultdict[str, int] = defaultdict(int)
    by_name = {"category": category, "province": province, "industrial_belt": belt}
    # Up to a few thousand pairs on every search: one dict update per facet, no loop per facet.
    for pk, n in pairs:
        key = keys[pk]
        failed = [name for name, value in active if not _passes(key, name, value)] if active else ()
        if not failed:
            total += n
            category[key[CATEGORY]] += n
            province[key[PROVINCE]] += n
            belt[key[BELT]] += n
        elif len(failed) == 1:  # counts only for the facet it fails
            by_name[failed[0]][key[FACET_KEYS[failed[0]]]] += n
    facets: dict[str, list[FacetBucket]] = {}
    for name, counted in by_name.items():
        counted.pop("", None)  # no belt (or no province) is not a facet value
        ordered = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT]
        facets[name] = [{"key": key, "count": n} for key, n in ordered]
    return total, facets


def on_text_rows(q: Q) -> Q:
    """A facet filter (written over FacetCombo's / ProductDocument's columns) for ProductText rows,
    which hold only the combination's id."""
    return Q(facet__in=FacetCombo.objects.filter(q)) if q else q


def lexeme_query(chosen: dict[str, str]) -> SearchQuery:
    """The facet filters as a text query over ProductText's facet lexemes (common.facet_lexeme):
    the same rows as facet_q, found through the text index."""
    lexemes = [facet_lexeme(name, value) for name, value in chosen.items() if value]
    return SearchQuery(" & ".join(lexemes), search_type="raw", config="simple")
