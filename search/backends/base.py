"""The one search interface. Both backends return ids (+ counts, facets, fits); the API loads rows."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..fit.rules import Ctx, Rule
from ..shapes import Document, EngineJson, FacetBucket, Figures, ProductStats

FACETS = ("category", "province", "industrial_belt")
SORTS = ("relevance", "price", "-price", "newest")


class SearchUnavailable(Exception):
    """The search backend cannot answer (cluster down). Writes go on; rows stay dirty."""


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    category: str = ""
    province: str = ""
    industrial_belt: str = ""
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    moq_max: int | None = None
    customizable: bool | None = None
    trial_eligible: bool | None = None
    verified_only: bool | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20


@dataclass
class SearchPage:
    ids: list[int]
    count: int
    facets: dict[str, list[FacetBucket]] = field(default_factory=dict)
    # Less than a page had every word of the query, so the results are those with most of them
    # (every-word ones first); search/text.py.
    relaxed: bool = False
    # False when the query matched more than settings.SEARCH_COUNT_CAP rows: `count` is then a
    # lower bound (like Elasticsearch's track_total_hits). `facets_exact` False: the facet
    # counts come from about that many rows (the first found by the database, a sample spread
    # over all hits by Tantivy), each a lower bound; see search/README.md, "Work bounded by the page".
    count_exact: bool = True
    facets_exact: bool = True


@dataclass
class Match:
    id: int
    score: float
    reasons: list[str]
    record: Figures | None = None  # the record figures and estimates behind the score


class Backend:
    name = "base"

    def search_products(self, params: SearchParams) -> SearchPage:
        raise NotImplementedError

    def search_factories(self, params: SearchParams) -> SearchPage:
        raise NotImplementedError

    def match(self, kind: str, rules: Sequence[Rule[Ctx]], ctx: Ctx, limit: int) -> list[Match]:
        raise NotImplementedError

    def index(self, kind: str, docs: list[Document], delete_ids: list[int]) -> None:
        raise NotImplementedError

    def update_factory_stats(self, stats: dict[int, ProductStats]) -> None:
        raise NotImplementedError

    def rebuild(self, kind: str, docs_iter: Iterable[list[Document]], total: int) -> EngineJson:
        raise NotImplementedError

    def needs_rebuild(self, kind: str) -> bool:
        """True when the kind's index must be rebuilt before it can be used (missing, or built by
        an older layout). The database and the engine backends create theirs as they go."""
        return False

    def status(self) -> EngineJson:
        raise NotImplementedError
