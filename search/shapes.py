"""The names of the dict shapes that cross the search package's edges (typed once, used everywhere).

A search document and an engine's JSON are open dicts on purpose: their fields depend on the kind
(product, factory, streamer) and on the backend, and they come back from a store (database JSON,
Elasticsearch / OpenSearch `_source`, Tantivy) as that store gives them. Their values are `Any`
at this boundary only; every reader takes the field it needs by name.
"""

from typing import Any, TypedDict

# A search document (documents.py): what a backend indexes and what the fit rules read.
Document = dict[str, Any]

# A document's "record": the figures its score rests on (fit/outcomes.py), plain JSON numbers (or
# null) as the store gives them back.
Figures = dict[str, Any]

# A factory's price range, smallest MOQ and product count over its public products
# (documents.factory_product_stats): an aggregate row as the database returns it.
ProductStats = dict[str, Any]

# A request body, query clause or response of Elasticsearch / OpenSearch / Tantivy: the engine's shape.
EngineJson = dict[str, Any]


class FacetBucket(TypedDict):
    """One value of a facet with the number of hits that have it (the API's `facets` lists these)."""

    key: str
    count: int
