"""Products on PostgreSQL when the words match more rows than the count cap: the page without
ranking every hit.

A broad word (补水: a third of 1M products) cannot be ranked by sorting its hits: that reads each
one. Here the page comes from a sort index of the document table, walked in batches; each batch's
rows are looked up in the text table by key (is it a hit? which title tier?), and the walk stops
as soon as nothing further down the index can enter the page. For the price and date sorts that is
after offset + limit hits. For relevance (title tier × (1 + quality), then quality, then id) the
walk goes down `quality DESC, id` (search_pd_rank): a row not read yet has quality ≤ the last one
read and tier ≤ 3, so once the page's last row scores at least 3 × (1 + that quality) no later row
can beat it (a later row with the same score has the same or lower quality and a higher id, and
loses the tie). The result is the exact page the full sort gives; tests compare the two.

Since the walk only runs when more than the cap's rows hold the words, hits are usually dense
enough that a page takes a batch or two. Not when the other filters are selective (a broad word
in a small category): a walk that reads WALK_BUDGET rows without settling the page gives up (None)
and the caller ranks every hit instead, as it does under the cap.
"""

from django.db.models import Expression, Model, Q, QuerySet

from marketplace.core.sql import among

from ...models import ProductDocument
from ..base import SearchParams
from .common import planner_settings

FIRST_BATCH = 256
LARGEST_BATCH = 2_048
WALK_BUDGET = 4_096
TOP_TIER = 3.0  # reader._title_tier's best


def walk(
    matched: QuerySet[Model],  # the text hits (ProductText rows)
    tier: Expression | None,
    doc_filter: Q,
    order: list[str],
    params: SearchParams,
    top: float = TOP_TIER,
) -> tuple[list[int], int] | None:
    """The page's ids (params.offset / limit) in `order`, and how many hits the walk found (a
    lower bound of the total); None when the page was not settled within WALK_BUDGET rows. `matched`: the text hits (a ProductText queryset); `tier`: their
    rank expression for relevance (at most `top`), None for the price / date sorts; `doc_filter`:
    every other filter, over ProductDocument's columns."""
    # Each batch's rows are looked up by key; left to itself the planner may read the whole text
    # index for the words instead (a broad word costs ~50 ms a batch that way).
    with planner_settings(enable_bitmapscan="off"):
        return _walk(matched, tier, doc_filter, order, params, top)


def _walk(
    matched: QuerySet[Model],  # the text hits (ProductText rows)
    tier: Expression | None,
    doc_filter: Q,
    order: list[str],
    params: SearchParams,
    top: float,
) -> tuple[list[int], int] | None:
    relevance = tier is not None
    docs = ProductDocument.objects.filter(doc_filter).order_by(*(["-quality", "pk"] if relevance else order))
    need = params.offset + params.limit + 1  # one more: is there a next page?
    found: list[tuple[float, ...]] = []  # relevance: (-score, -quality, id); else (position, id)
    start, batch = 0, FIRST_BATCH
    while True:
        if start >= WALK_BUDGET:
            return None
        rows = list(docs.values_list("pk", "quality")[start : start + batch])
        hits = among(matched, [pk for pk, _ in rows])
        if relevance:
            tiers = dict(hits.annotate(tier=tier).values_list("pk", "tier"))
            found += [(-tiers[pk] * (1.0 + q), -q, pk) for pk, q in rows if pk in tiers]
        else:
            hit_ids = set(hits.values_list("pk", flat=True))
            found += [(start + i, pk) for i, (pk, _) in enumerate(rows) if pk in hit_ids]
        start += len(rows)
        if len(rows) < batch:
            break  # the index is exhausted: every hit that passes the filters was seen
        if len(found) >= need:
            if not relevance:
                break
            found.sort()
            if -found[need - 1][0] >= top * (1.0 + rows[-1][1]):
                break
        batch = min(batch * 4, LARGEST_BATCH, WALK_BUDGET - start)
    found.sort()
    return [int(row[-1]) for row in found[params.offset : params.offset + params.limit]], len(found)
