"""Factories for an open custom-product request (定制): the factory fit of matches/factories, for a brief.

A request is not a profile: it names a category, a target unit price and a quantity. We turn it
into `fit.BuyerNeeds` (price band around the target, "units" = the requested quantity, the
streamer's province, customization needed) and rank factory documents with FACTORY_FOR_BUYER,
so the order and the reasons come from search/fit/ and nowhere else. Two of those rules exclude
here instead of ranking: a factory outside the request's trade, or one that cannot customize, is
never offered. Price and MOQ only rank: a misfit may still quote, after every fit.

Documents are built from the live rows, not read from the index: offers are computed once, inside
the request's transaction, so a factory verified a minute ago (not yet swept into the index) must
count, and an Elasticsearch outage must not stop a streamer from asking for quotes. The candidates
are one trade's customizing factories, a few hundred at most, so building their documents is cheap.
"""

from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from buyers.models import BuyerProfile
from factories.models import CustomizationLevel, Factory
from factories.selectors import factory_public_q
from marketplace.money import format_cny_range, quantize

from . import fit
from .documents import (
    category_expansion,
    factory_document,
    factory_product_stats,
    factory_queryset,
)
from .fit.needs import BuyerNeeds
from .fit.rules import Customization, FactoryMoq, FactoryPrice, SharedCategory
from .selectors import buyer_needs
from .shapes import Document

# A custom product is priced like, not exactly as, the factory's current catalogue: a factory whose
# prices come within 20% of the target can plausibly make it at the target.
PRICE_TOLERANCE = Decimal("0.2")


class RequestPrice(FactoryPrice):
    """FactoryPrice's check, said about the request's target price instead of a profile's band."""

    def reason(self, ctx: BuyerNeeds, doc: Document, ok: bool) -> str | None:
        if doc["price_min"] is None:
            return super().reason(ctx, doc, ok)
        low, high = doc["price_min"], doc["price_max"]
        values = {
            "range": format_cny_range(low, high),
            "band": format_cny_range(ctx.price_min, ctx.price_max),
        }
        if ok:
            return _("Its prices (%(range)s) are close to your target price (%(band)s)") % values
        return _("Its prices (%(range)s) are far from your target price (%(band)s)") % values


class RequestMoq(FactoryMoq):
    """FactoryMoq's check, said about the requested quantity instead of units per session."""

    def reason(self, ctx: BuyerNeeds, doc: Document, ok: bool) -> str | None:
        if doc["moq_min"] is None:
            return None
        values = {"moq": doc["moq_min"], "units": ctx.units_per_session}
        if ok:
            return _("Smallest MOQ %(moq)s ≤ the %(units)s units you asked for") % values
        return _("Smallest MOQ %(moq)s > the %(units)s units you asked for") % values


def _rules(*, by_target: bool, with_category: bool) -> tuple[fit.Rule[BuyerNeeds], ...]:
    """FACTORY_FOR_BUYER with the request's wording where it differs from a profile's."""
    rules: list[fit.Rule[BuyerNeeds]] = []
    for rule in fit.FACTORY_FOR_BUYER:
        if isinstance(rule, FactoryPrice) and by_target:
            rule = RequestPrice()  # without a target, the streamer's own band: the profile wording fits
        elif isinstance(rule, FactoryMoq):
            rule = RequestMoq()
        elif isinstance(rule, SharedCategory) and not with_category:
            continue  # no category at all: every trade is eligible, none is "shared"
        rules.append(rule)
    return tuple(rules)


EXCLUDING = (SharedCategory, Customization)  # these rules filter the offer list; the others rank it


def custom_request_needs(
    *, buyer: BuyerProfile, category_slug: str, target_unit_price: Decimal | None, quantity: int
) -> fit.BuyerNeeds:
    """The request as needs: its category (else the streamer's), a band around its target price
    (else the streamer's own band), its quantity, the streamer's province."""
    profile = buyer_needs(buyer)
    categories = profile.categories
    if category_slug:
        categories = frozenset(category_expansion().get(category_slug, [category_slug]))
    low, high = profile.price_min, profile.price_max
    if target_unit_price is not None:
        low = quantize(target_unit_price * (1 - PRICE_TOLERANCE))
        high = quantize(target_unit_price * (1 + PRICE_TOLERANCE))
    return fit.BuyerNeeds(
        categories=categories,
        price_min=low,
        price_max=high,
        units_per_session=quantity,
        needs_customization=True,
        province=profile.province,
    )


def _candidates(needs: fit.BuyerNeeds, expansion: dict[str, list[str]]) -> QuerySet[Factory]:
    """A superset of the factories the excluding rules keep (they decide, below)."""
    qs = factory_queryset().filter(factory_public_q())
    qs = qs.exclude(customization=CustomizationLevel.NONE)
    if needs.categories:
        # A factory in a top-level category covers its children (documents.py): include parents.
        wide = sorted(slug for slug, group in expansion.items() if needs.categories.intersection(group))
        qs = qs.filter(categories__slug__in=wide)
    return qs.distinct()


def factories_for_custom_request(
    *, buyer: BuyerProfile, category_slug: str, target_unit_price: Decimal | None, quantity: int, limit: int
) -> list[tuple[Factory, fit.Fit]]:
    """Best-fitting verified, customizing factories for a request, best first, with the fit
    (score and reasons, in the active language) of each."""
    needs = custom_request_needs(
        buyer=buyer, category_slug=category_slug, target_unit_price=target_unit_price, quantity=quantity
    )
    rules = _rules(by_target=target_unit_price is not None, with_category=bool(needs.categories))
    excluding = [r for r in rules if isinstance(r, EXCLUDING) and r.applies(needs)]
    expansion = category_expansion()
    factories = {f.pk: f for f in _candidates(needs, expansion)}
    stats = factory_product_stats(list(factories))
    docs = [
        doc
        for doc in (
            factory_document(f, stats.get(f.pk), expansion) for f in factories.values() if f.is_public
        )
        if all(rule.ok(needs, doc) for rule in excluding)
    ]
    return [(factories[m.doc["id"]], m) for m in fit.rank(rules, needs, docs)[:limit]]
