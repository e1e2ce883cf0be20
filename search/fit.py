"""What "fit" means, written once: both backends filter / rank with these rules and explain with them.

Each hard rule knows how to test a document in Python (`ok`, used for the reasons and the final
order), how to say it as a database filter (`q`, over search/models.py) and as an Elasticsearch
query clause (`es`). Ranking is lexicographic: fewer missed hard rules first, then quality
(super factory, record) plus a bonus for the same province, then id for a stable order.
"""

from dataclasses import dataclass
from decimal import Decimal
from math import log10

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from marketplace.money import format_cny

REGION_BONUS = 0.1
GOOD_CONVERSION = 0.3
LOW_RETURNS = 0.1
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


def _cny(value) -> str:
    # format_cny prints two places; whole yuan read better in a sentence ("¥38", not "¥38.00").
    text = format_cny(Decimal(str(value)))
    return text[:-3] if text.endswith(".00") else text


def _band(low, high) -> str:
    return f"{_cny(low)}–{_cny(high).removeprefix('¥')}"  # "¥30–60", as people write it


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def _dec(value) -> Decimal:
    return Decimal(str(value))


class Rule:
    """A hard point. `applies` is False when the needs side does not ask for it."""

    def applies(self, ctx) -> bool:
        return True

    def ok(self, ctx, doc: dict) -> bool:
        raise NotImplementedError

    def q(self, ctx) -> Q:
        raise NotImplementedError

    def es(self, ctx) -> dict:
        raise NotImplementedError

    def reason(self, ctx, doc: dict, ok: bool) -> str | None:
        raise NotImplementedError


def _category_label(doc: dict) -> str:
    if "category_name" in doc:
        english = (get_language() or "").startswith("en")
        return doc["category_name_en"] if english else doc["category_name"]
    return ""


class ProductCategory(Rule):
    def ok(self, ctx, doc):
        return doc["category_slug"] in ctx.categories

    def q(self, ctx):
        return Q(category_slug__in=sorted(ctx.categories))

    def es(self, ctx):
        return {"terms": {"category_slug": sorted(ctx.categories)}}

    def reason(self, ctx, doc, ok):
        label = _category_label(doc)
        if ok:
            return _("In a category you sell: %(category)s") % {"category": label}
        return _("Not in your categories (%(category)s)") % {"category": label}


class SharedCategory(Rule):
    """Factory ↔ streamer: at least one category in common (expanded on both sides)."""

    def __init__(self, model_path: str):
        self.model_path = model_path

    def ok(self, ctx, doc):
        return bool(ctx.categories.intersection(doc["category_slugs"]))

    def q(self, ctx):
        from django.apps import apps

        rows = apps.get_model(self.model_path).objects.filter(
            document=OuterRef("pk"), slug__in=sorted(ctx.categories)
        )
        return Q(Exists(rows))

    def es(self, ctx):
        return {"terms": {"category_slugs": sorted(ctx.categories)}}

    def reason(self, ctx, doc, ok):
        if ok:
            return _("Shares your categories")
        return _("No category in common with you")


class ProductPrice(Rule):
    def ok(self, ctx, doc):
        return ctx.price_min <= _dec(doc["factory_price"]) <= ctx.price_max

    def q(self, ctx):
        return Q(factory_price__gte=ctx.price_min, factory_price__lte=ctx.price_max)

    def es(self, ctx):
        return {"range": {"factory_price": {"gte": float(ctx.price_min), "lte": float(ctx.price_max)}}}

    def reason(self, ctx, doc, ok):
        values = {"price": _cny(doc["factory_price"]), "band": _band(ctx.price_min, ctx.price_max)}
        if ok:
            return _("Price %(price)s is within your price band %(band)s") % values
        return _("Price %(price)s is outside your price band %(band)s") % values


class FactoryPrice(Rule):
    """A streamer's band overlaps the factory's price range."""

    def ok(self, ctx, doc):
        if doc["price_min"] is None:
            return False
        return _dec(doc["price_min"]) <= ctx.price_max and _dec(doc["price_max"]) >= ctx.price_min

    def q(self, ctx):
        return Q(price_min__lte=ctx.price_max, price_max__gte=ctx.price_min)

    def es(self, ctx):
        return {
            "bool": {
                "filter": [
                    {"range": {"price_min": {"lte": float(ctx.price_max)}}},
                    {"range": {"price_max": {"gte": float(ctx.price_min)}}},
                ]
            }
        }

    def reason(self, ctx, doc, ok):
        band = _band(ctx.price_min, ctx.price_max)
        if doc["price_min"] is None:
            return _("No products listed yet")
        values = {"range": _band(doc["price_min"], doc["price_max"]), "band": band}
        if ok:
            return _("Prices %(range)s overlap your price band %(band)s") % values
        return _("Prices %(range)s are outside your price band %(band)s") % values


class BuyerPrice(Rule):
    """The streamer's band (the document) overlaps this factory's prices (the context)."""

    def applies(self, ctx):
        return ctx.price_min is not None

    def ok(self, ctx, doc):
        return _dec(doc["price_min"]) <= ctx.price_max and _dec(doc["price_max"]) >= ctx.price_min

    def q(self, ctx):
        return Q(price_min__lte=ctx.price_max, price_max__gte=ctx.price_min)

    def es(self, ctx):
        return {
            "bool": {
                "filter": [
                    {"range": {"price_min": {"lte": float(ctx.price_max)}}},
                    {"range": {"price_max": {"gte": float(ctx.price_min)}}},
                ]
            }
        }

    def reason(self, ctx, doc, ok):
        values = {
            "band": _band(doc["price_min"], doc["price_max"]),
            "range": _band(ctx.price_min, ctx.price_max),
        }
        if ok:
            return _("Their price band %(band)s overlaps your prices %(range)s") % values
        return _("Their price band %(band)s is outside your prices %(range)s") % values


class ProductMoq(Rule):
    def applies(self, ctx):
        return ctx.units_per_session > 0

    def ok(self, ctx, doc):
        return doc["moq"] <= ctx.units_per_session

    def q(self, ctx):
        return Q(moq__lte=ctx.units_per_session)

    def es(self, ctx):
        return {"range": {"moq": {"lte": ctx.units_per_session}}}

    def reason(self, ctx, doc, ok):
        values = {"moq": doc["moq"], "units": ctx.units_per_session}
        if ok:
            return _("MOQ %(moq)s ≤ your %(units)s units per session") % values
        return _("MOQ %(moq)s > your %(units)s units per session") % values


class FactoryMoq(Rule):
    def applies(self, ctx):
        return ctx.units_per_session > 0

    def ok(self, ctx, doc):
        return doc["moq_min"] is not None and doc["moq_min"] <= ctx.units_per_session

    def q(self, ctx):
        return Q(moq_min__lte=ctx.units_per_session)

    def es(self, ctx):
        return {"range": {"moq_min": {"lte": ctx.units_per_session}}}

    def reason(self, ctx, doc, ok):
        if doc["moq_min"] is None:
            return None
        values = {"moq": doc["moq_min"], "units": ctx.units_per_session}
        if ok:
            return _("Smallest MOQ %(moq)s ≤ your %(units)s units per session") % values
        return _("Smallest MOQ %(moq)s > your %(units)s units per session") % values


class BuyerMoq(Rule):
    def applies(self, ctx):
        return ctx.moq_min is not None

    def ok(self, ctx, doc):
        return doc["units_per_session"] >= ctx.moq_min

    def q(self, ctx):
        return Q(units_per_session__gte=ctx.moq_min)

    def es(self, ctx):
        return {"range": {"units_per_session": {"gte": ctx.moq_min}}}

    def reason(self, ctx, doc, ok):
        values = {"units": doc["units_per_session"], "moq": ctx.moq_min}
        if ok:
            return _("Sells about %(units)s units per session ≥ your smallest MOQ %(moq)s") % values
        return _("Sells about %(units)s units per session < your smallest MOQ %(moq)s") % values


class Customization(Rule):
    """The streamer needs customization: the product / factory must offer it."""

    def applies(self, ctx):
        return ctx.needs_customization

    def ok(self, ctx, doc):
        return bool(doc["customizable"])

    def q(self, ctx):
        return Q(customizable=True)

    def es(self, ctx):
        return {"term": {"customizable": True}}

    def reason(self, ctx, doc, ok):
        return _("Customizable, as you need") if ok else _("Not customizable, and you need customization")


class BuyerCustomization(Rule):
    """Seen from the factory: a streamer who needs customization fits only a factory that offers it."""

    def applies(self, ctx):
        return not ctx.customizable

    def ok(self, ctx, doc):
        return not doc["needs_customization"]

    def q(self, ctx):
        return Q(needs_customization=False)

    def es(self, ctx):
        return {"term": {"needs_customization": False}}

    def reason(self, ctx, doc, ok):
        return None if ok else _("Needs customization, which you do not offer")


PRODUCT_FOR_BUYER = (ProductCategory(), ProductPrice(), ProductMoq(), Customization())
FACTORY_FOR_BUYER = (
    SharedCategory("search.FactoryDocumentCategory"),
    FactoryPrice(),
    FactoryMoq(),
    Customization(),
)
BUYER_FOR_FACTORY = (
    SharedCategory("search.BuyerDocumentCategory"),
    BuyerPrice(),
    BuyerMoq(),
    BuyerCustomization(),
)


def factory_quality(doc: dict) -> float:
    """0…1 from the factory's record; unknown values count as middling, not as perfect."""
    conversion = doc["trial_conversion_rate"] or 0.0
    returns = doc["return_rate"] if doc["return_rate"] is not None else 0.3
    response = doc["response_rate"] or 0.0
    value = (
        0.4 * (doc["tier"] == "super") + 0.25 * conversion + 0.2 * (1 - min(returns, 1.0)) + 0.15 * response
    )
    return round(value, 6)


def buyer_quality(doc: dict) -> float:
    reach = min(1.0, log10(doc["followers"] + 1) / 7)  # 10 million followers = the top
    on_time = doc["feedback_on_time_rate"] if doc["feedback_on_time_rate"] is not None else 0.5
    follow = doc["sample_followthrough_rate"] if doc["sample_followthrough_rate"] is not None else 0.5
    return round(0.4 * reach + 0.3 * on_time + 0.3 * follow, 6)


def _factory_signals(ctx, doc: dict) -> list[str]:
    out = []
    if doc.get("tier") == "super":
        out.append(_("Super factory"))
    if (doc.get("trial_conversion_rate") or 0) >= GOOD_CONVERSION:
        out.append(_("%(pct)s of trials became bulk orders") % {"pct": _pct(doc["trial_conversion_rate"])})
    if doc.get("return_rate") is not None and doc["return_rate"] <= LOW_RETURNS:
        out.append(_("Low return rate in trials: %(pct)s") % {"pct": _pct(doc["return_rate"])})
    if (doc.get("response_rate") or 0) >= FAST_RESPONSE:
        out.append(_("Answers %(pct)s of requests") % {"pct": _pct(doc["response_rate"])})
    return out


def _buyer_signals(ctx, doc: dict) -> list[str]:
    out = []
    if doc["followers"] >= 10_000:
        out.append(_("%(n)s followers") % {"n": f"{doc['followers']:,}"})
    if (doc.get("feedback_on_time_rate") or 0) >= FAST_RESPONSE:
        out.append(_("Gives trial feedback on time: %(pct)s") % {"pct": _pct(doc["feedback_on_time_rate"])})
    return out


@dataclass
class Fit:
    doc: dict
    misses: int
    rank: float
    score: float
    reasons: list[str]

    def sort_key(self):
        return (self.misses, -self.rank, self.doc["id"])


def region_bonus(ctx, doc: dict) -> float:
    return REGION_BONUS if ctx.province and doc.get("province") == ctx.province else 0.0


def evaluate(rules, ctx, doc: dict) -> Fit:
    active = [r for r in rules if r.applies(ctx)]
    reasons, misses = [], 0
    for rule in active:
        ok = rule.ok(ctx, doc)
        misses += not ok
        text = rule.reason(ctx, doc, ok)
        if text:
            reasons.append(text)
    signals = _buyer_signals if "followers" in doc else _factory_signals
    reasons.extend(signals(ctx, doc))
    bonus = region_bonus(ctx, doc)
    if bonus:
        reasons.append(_("In %(province)s, like you") % {"province": doc["province"]})
    rank = doc["quality"] + bonus
    normalized = rank / (1 + REGION_BONUS)
    score = 100 * (normalized + len(active) - misses) / (len(active) + 1)
    return Fit(doc=doc, misses=misses, rank=rank, score=round(score, 1), reasons=reasons)


def rank(rules, ctx, docs: list[dict]) -> list[Fit]:
    return sorted((evaluate(rules, ctx, d) for d in docs), key=Fit.sort_key)
