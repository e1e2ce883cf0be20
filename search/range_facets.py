"""The product facets over numbers and yes/no fields, shared by both backends and the search page.

Each counts the products that pass every *other* filter (the rule of the category, province and
belt facets), so a streamer sees how many results a click would give. A price range's upper bound
is the last fen below the next range and both ends are inclusive, as `price_min` / `price_max`
are: clicking a range finds exactly the products it counted. MOQ values are ceilings ("MOQ at most
500", the way a streamer thinks: what they can take), so they nest and each is a `moq_max`.
"""

from dataclasses import dataclass
from decimal import Decimal

from .backends.base import SearchParams
from .shapes import FacetBucket

# A facet's condition on one document field: {"gte": …, "lte": …} for a range, {"eq": …} for
# yes/no, {} for none. Both backends turn it into their query language.
Condition = dict[str, Decimal | int | bool]

RANGE_FACETS = ("price", "moq", "customizable", "trial_eligible", "verified_only")


@dataclass(frozen=True)
class PriceRange:
    key: str
    low: Decimal | None
    high: Decimal | None


PRICE_RANGES = (
    PriceRange("0-20", None, Decimal("19.99")),
    PriceRange("20-50", Decimal("20.00"), Decimal("49.99")),
    PriceRange("50-100", Decimal("50.00"), Decimal("99.99")),
    PriceRange("100-200", Decimal("100.00"), Decimal("199.99")),
    PriceRange("200-", Decimal("200.00"), None),
)
MOQ_CEILINGS = (50, 100, 500, 1000, 5000)
YES_NO = ("true", "false")


def price_range(key: str) -> PriceRange | None:
    return next((r for r in PRICE_RANGES if r.key == key), None)


def price_range_index(price: Decimal) -> int:
    """The index in PRICE_RANGES of the range a price falls in (stored on the index rows)."""
    return next(i for i, r in enumerate(PRICE_RANGES) if r.high is None or Decimal(price) <= r.high)


def moq_step(moq: int) -> int:
    """The index of the first MOQ ceiling a product is under; len(MOQ_CEILINGS) when above all
    (stored on the index rows: "MOQ at most MOQ_CEILINGS[j]" is `moq_step <= j`)."""
    return next((i for i, ceiling in enumerate(MOQ_CEILINGS) if moq <= ceiling), len(MOQ_CEILINGS))


def filters_of(params: SearchParams) -> dict[str, Condition]:
    """Each range facet's own filter as plain values ({} when not filtered): what both backends
    turn into their query language, so they cannot disagree on what a filter means."""
    price: Condition = {
        k: v for k, v in (("gte", params.price_min), ("lte", params.price_max)) if v is not None
    }
    return {
        "price": price,
        "moq": {"lte": params.moq_max} if params.moq_max is not None else {},
        "customizable": {"eq": params.customizable} if params.customizable is not None else {},
        "trial_eligible": {"eq": params.trial_eligible} if params.trial_eligible is not None else {},
        "verified_only": {"eq": True} if params.verified_only else {},
    }


def buckets() -> dict[str, list[tuple[str, Condition]]]:
    """Each range facet's values, in display order, with the condition a product meets to count."""
    return {
        "price": [
            (r.key, {k: v for k, v in (("gte", r.low), ("lte", r.high)) if v is not None})
            for r in PRICE_RANGES
        ],
        "moq": [(str(ceiling), {"lte": ceiling}) for ceiling in MOQ_CEILINGS],
        "customizable": [(key, {"eq": key == "true"}) for key in YES_NO],
        "trial_eligible": [(key, {"eq": key == "true"}) for key in YES_NO],
        "verified_only": [("true", {"eq": True})],
    }


# The document field each facet reads (the same name in the database index and the engine).
FIELDS = {
    "price": "factory_price",
    "moq": "moq",
    "customizable": "customizable",
    "trial_eligible": "trial_eligible",
    "verified_only": "verified",
}


def listed(counts: dict[str, dict[str, int]]) -> dict[str, list[FacetBucket]]:
    """{facet: {key: count}} → the API's lists, in display order, values with no product left out."""
    return {
        name: [{"key": key, "count": counts[name][key]} for key, _ in values if counts.get(name, {}).get(key)]
        for name, values in buckets().items()
    }
