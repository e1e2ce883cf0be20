"""The hard points of a fit, each as a Python check + reason, a database `Q` and an Elasticsearch clause."""

from decimal import Decimal
from typing import Generic, TypeVar

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from marketplace.money import format_cny_in_text, format_cny_range

from ..shapes import Document, EngineJson
from .needs import BuyerNeeds, FactoryOffer

# The side a rule is read from: a streamer's needs (products and factories for them) or a
# factory's offer (streamers for it).
Ctx = TypeVar("Ctx", BuyerNeeds, FactoryOffer)
AnySide = BuyerNeeds | FactoryOffer


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


class Rule(Generic[Ctx]):
    """A hard point. `applies` is False when the needs side does not ask for it."""

    def applies(self, ctx: Ctx) -> bool:
        return True

    def ok(self, ctx: Ctx, doc: Document) -> bool:
        raise NotImplementedError

    def q(self, ctx: Ctx) -> Q:
        raise NotImplementedError

    def es(self, ctx: Ctx) -> EngineJson:
        raise NotImplementedError

    def reason(self, ctx: Ctx, doc: Document, ok: bool) -> str | None:
        raise NotImplementedError


def _category_label(doc: Document) -> str:
    if "category_name" in doc:
        english = (get_language() or "").startswith("en")
        return str(doc["category_name_en"] if english else doc["category_name"])
    return ""


def _band(ctx: AnySide) -> tuple[Decimal, Decimal]:
    """The side's price band. A factory with no products has none: BuyerPrice.applies leaves it out."""
    if ctx.price_min is None or ctx.price_max is None:
        raise ValueError("a price rule was applied to a side without a price band")
    return ctx.price_min, ctx.price_max


class ProductCategory(Rule[BuyerNeeds]):
    def ok(self, ctx: BuyerNeeds, doc: Document) -> bool:
        return doc["category_slug"] in ctx.categories

    def q(self, ctx: BuyerNeeds) -> Q:
        return Q(category_slug__in=sorted(ctx.categories))

    def es(self, ctx: BuyerNeeds) -> EngineJson:
        return {"terms": {"category_slug": sorted(ctx.categories)}}

    def reason(self, ctx: BuyerNeeds, doc: Document, ok: bool) -> str | None:
        label = _category_label(doc)
        if ok:
            return _("In a category you sell: %(category)s") % {"category": label}
        return _("Not in your categories (%(category)s)") % {"category": label}


class SharedCategory(Rule[Ctx]):
    """Factory ↔ streamer: at least one category in common (expanded on both sides)."""

    def __init__(self, model_path: str) -> None:
        self.model_path = model_path

    def ok(self, ctx: Ctx, doc: Document) -> bool:
        return bool(ctx.categories.intersection(doc["category_slugs"]))

    def q(self, ctx: Ctx) -> Q:
        from django.apps import apps

        rows = apps.get_model(self.model_path).objects.filter(
            document=OuterRef("pk"), slug__in=sorted(ctx.categories)
        )
        return Q(Exists(rows))

    def es(self, ctx: Ctx) -> EngineJson:
        return {"terms": {"category_slugs": sorted(ctx.categories)}}

    def reason(self, ctx: Ctx, doc: Document, ok: bool) -> str | None:
        if ok:
            return _("Shares your categories")
        return _("No category in common with you")


class ProductPrice(Rule[BuyerNeeds]):
    def ok(self, ctx: BuyerNeeds, doc: Document) -> bool:
        return ctx.price_min <= _dec(doc["factory_price"]) <= ctx.price_max

    def q(self, ctx: BuyerNeeds) -> Q:
        return Q(factory_price__gte=ctx.price_min, factory_price__lte=ctx.price_max)

    def es(self, ctx: BuyerNeeds) -> EngineJson:
        return {"range": {"factory_price": {"gte": float(ctx.price_min), "lte": float(ctx.price_max)}}}

    def reason(self, ctx: BuyerNeeds, doc: Document, ok: bool) -> str | None:
        values = {
            "price": format_cny_in_text(doc["factory_price"]),
            "band": format_cny_range(ctx.price_min, ctx.price_max),
        }
        if ok:
            return _("Price %(price)s is within your price band %(band)s") % values
        return _("Price %(price)s is outside your price band %(band)s") % values


class _PriceRangesOverlap(Rule[Ctx]):
    """The document's price range (price_min–price_max) overlaps the context's."""

    def ok(self, ctx: Ctx, doc: Document) -> bool:
        if doc["price_min"] is None:  # a factory with no products listed yet
            return False
        price_min, price_max = _band(ctx)
        return _dec(doc["price_min"]) <= price_max and _dec(doc["price_max"]) >= price_min

    def q(self, ctx: Ctx) -> Q:
        price_min, price_max = _band(ctx)
        return Q(price_min__lte=price_max, price_max__gte=price_min)

    def es(self, ctx: Ctx) -> EngineJson:
        price_min, price_max = _band(ctx)
        return {
            "bool": {
                "filter": [
                    {"range": {"price_min": {"lte": float(price_max)}}},
                    {"range": {"price_max": {"gte": float(price_min)}}},
                ]
            }
        }


class FactoryPrice(_PriceRangesOverlap[BuyerNeeds]):
    """A streamer's band overlaps the factory's price range."""

    def reason(self, ctx: BuyerNeeds, doc: Document, ok: bool) -> str | None:
        band = format_cny_range(ctx.price_min, ctx.price_max)
        if doc["price_min"] is None:
            return _("No products listed yet")
        values = {"range": format_cny_range(doc["price_min"], doc["price_max"]), "band": band}
        if ok:
            return _("Prices %(range)s overlap your price band %(band)s") % values
        return _("Prices %(range)s are outside your price band %(band)s") % values


class BuyerPrice(_PriceRangesOverlap[FactoryOffer]):
    """The streamer's band (the document) overlaps this factory's prices (the context)."""

    def applies(self, ctx: FactoryOffer) -> bool:
        return ctx.price_min is not None

    def reason(self, ctx: FactoryOffer, doc: Document, ok: bool) -> str | None:
        values = {
            "band": format_cny_range(doc["price_min"], doc["price_max"]),
            "range": format_cny_range(*_band(ctx)),
        }
        if ok:
            return _("Their price band %(band)s overlaps your prices %(range)s") % values
        return _("Their price band %(band)s is outside your prices %(range)s") % values


class ProductMoq(Rule[BuyerNeeds]):
    def applies(self, ctx: BuyerNeeds) -> bool:
        return ctx.units_per_session > 0

    def ok(self, ctx: BuyerNeeds, doc: Document) -> bool:
        return bool(doc["moq"] <= ctx.units_per_session)

    def q(self, ctx: BuyerNeeds) -> Q:
        return Q(moq__lte=ctx.units_per_session)

    def es(self, ctx: BuyerNeeds) -> EngineJson:
        return {"range": {"moq": {"lte": ctx.units_per_session}}}

    def reason(self, ctx: BuyerNeeds, doc: Document, ok: bool) -> str | None:
        values = {"moq": doc["moq"], "units": ctx.units_per_session}
        if ok:
            return _("MOQ %(moq)s ≤ your %(units)s units per session") % values
        return _("MOQ %(moq)s > your %(units)s units per session") % values


class FactoryMoq(Rule[BuyerNeeds]):
    def applies(self, ctx: BuyerNeeds) -> bool:
        return ctx.units_per_session > 0

    def ok(self, ctx: BuyerNeeds, doc: Document) -> bool:
        return doc["moq_min"] is not None and doc["moq_min"] <= ctx.units_per_session

    def q(self, ctx: BuyerNeeds) -> Q:
        return Q(moq_min__lte=ctx.units_per_session)

    def es(self, ctx: BuyerNeeds) -> EngineJson:
        return {"range": {"moq_min": {"lte": ctx.units_per_session}}}

    def reason(self, ctx: BuyerNeeds, doc: Document, ok: bool) -> str | None:
        if doc["moq_min"] is None:
            return None
        values = {"moq": doc["moq_min"], "units": ctx.units_per_session}
        if ok:
            return _("Smallest MOQ %(moq)s ≤ your %(units)s units per session") % values
        return _("Smallest MOQ %(moq)s > your %(units)s units per session") % values


class BuyerMoq(Rule[FactoryOffer]):
    def applies(self, ctx: FactoryOffer) -> bool:
        return ctx.moq_min is not None

    def ok(self, ctx: FactoryOffer, doc: Document) -> bool:
        return bool(doc["units_per_session"] >= ctx.moq_min)

    def q(self, ctx: FactoryOffer) -> Q:
        return Q(units_per_session__gte=ctx.moq_min)

    def es(self, ctx: FactoryOffer) -> EngineJson:
        return {"range": {"units_per_session": {"gte": ctx.moq_min}}}

    def reason(self, ctx: FactoryOffer, doc: Document, ok: bool) -> str | None:
        values = {"units": doc["units_per_session"], "moq": ctx.moq_min}
        if ok:
            return _("Sells about %(units)s units per session ≥ your smallest MOQ %(moq)s") % values
        return _("Sells about %(units)s units per session < your smallest MOQ %(moq)s") % values


class Customization(Rule[BuyerNeeds]):
    """The streamer needs customization: the product / factory must offer it."""

    def applies(self, ctx: BuyerNeeds) -> bool:
        return ctx.needs_customization

    def ok(self, ctx: BuyerNeeds, doc: Document) -> bool:
        return bool(doc["customizable"])

    def q(self, ctx: BuyerNeeds) -> Q:
        return Q(customizable=True)

    def es(self, ctx: BuyerNeeds) -> EngineJson:
        return {"term": {"customizable": True}}

    def reason(self, ctx: BuyerNeeds, doc: Document, ok: bool) -> str | None:
        return _("Customizable, as you need") if ok else _("Not customizable, and you need customization")


class BuyerCustomization(Rule[FactoryOffer]):
    """Seen from the factory: a streamer who needs customization fits only a factory that offers it."""

    def applies(self, ctx: FactoryOffer) -> bool:
        return not ctx.customizable

    def ok(self, ctx: FactoryOffer, doc: Document) -> bool:
        return not doc["needs_customization"]

    def q(self, ctx: FactoryOffer) -> Q:
        return Q(needs_customization=False)

    def es(self, ctx: FactoryOffer) -> EngineJson:
        return {"term": {"needs_customization": False}}

    def reason(self, ctx: FactoryOffer, doc: Document, ok: bool) -> str | None:
        return None if ok else _("Needs customization, which you do not offer")


PRODUCT_FOR_BUYER: tuple[Rule[BuyerNeeds], ...] = (
    ProductCategory(),
    ProductPrice(),
    ProductMoq(),
    Customization(),
)
FACTORY_FOR_BUYER: tuple[Rule[BuyerNeeds], ...] = (
    SharedCategory[BuyerNeeds]("search.FactoryDocumentCategory"),
    FactoryPrice(),
    FactoryMoq(),
    Customization(),
)
BUYER_FOR_FACTORY: tuple[Rule[FactoryOffer], ...] = (
    SharedCategory[FactoryOffer]("search.BuyerDocumentCategory"),
    BuyerPrice(),
    BuyerMoq(),
    BuyerCustomization(),
)
