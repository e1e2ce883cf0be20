"""The two sides of a match, and the thresholds that turn a record into a reason."""

from dataclasses import dataclass
from decimal import Decimal

# Same province ranks a little higher (shorter, cheaper shipping), never enough to lift a factory
# over one with a clearly better trial record (quality differences of that kind are ~0.15).
REGION_BONUS = 0.05
FAST_RESPONSE = 0.8


@dataclass(frozen=True)
class BuyerNeeds:
    """A streamer, seen as what they need (categories already expanded, see documents.py)."""

    categories: frozenset[str]
    price_min: Decimal
    price_max: Decimal
    units_per_session: int
    needs_customization: bool
    province: str


@dataclass(frozen=True)
class FactoryOffer:
    """A factory, seen as what it offers (price range and MOQ over its public products)."""

    categories: frozenset[str]
    price_min: Decimal | None
    price_max: Decimal | None
    moq_min: int | None
    customizable: bool
    province: str
