"""Reads for the search and match endpoints: ask the backend for ids, load the rows in that order."""

from decimal import Decimal
from typing import TypeVar

from django.db.models import Model, QuerySet

from buyers.models import BuyerProfile
from buyers.selectors import buyer_visible_to
from factories.models import Factory, Product
from factories.selectors import factory_visible_to, product_visible_to
from marketplace.accounts.models import User

from . import fit
from .backends import SearchPage, SearchParams, get_backend
from .backends.base import Match
from .documents import category_expansion, factory_product_stats

Row = TypeVar("Row", bound=Model)


def _in_order(queryset: QuerySet[Row], ids: list[int]) -> list[Row]:
    # No ORDER BY: the order is the index's (a sort here cost ~2 ms of planning and sorting).
    rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
    # A row can vanish between the index answer and this read; skip it rather than fail.
    return [rows[pk] for pk in ids if pk in rows]


def product_search(*, params: SearchParams) -> SearchPage:
    """The page's ids only: the API reads the rows as plain values (search/results.py)."""
    return get_backend().search_products(params)


def factory_search(*, params: SearchParams) -> tuple[SearchPage, list[Factory]]:
    page = get_backend().search_factories(params)
    return page, _in_order(factory_visible_to(None), page.ids)


def _expand(slugs: list[str]) -> frozenset[str]:
    expansion = category_expansion()
    return frozenset(s for slug in slugs for s in expansion.get(slug, [slug]))


def buyer_needs(buyer: BuyerProfile) -> fit.BuyerNeeds:
    """Read from the live profile (not the index): a streamer's own edit applies at once."""
    return fit.BuyerNeeds(
        categories=_expand([c.slug for c in buyer.categories.all()]),
        price_min=Decimal(buyer.price_min),
        price_max=Decimal(buyer.price_max),
        units_per_session=buyer.units_per_session,
        needs_customization=buyer.needs_customization,
        province=buyer.province,
    )


def factory_offer(factory: Factory) -> fit.FactoryOffer:
    stats = factory_product_stats([factory.pk]).get(factory.pk, {})
    return fit.FactoryOffer(
        categories=_expand([c.slug for c in factory.categories.all()]),
        price_min=stats.get("price_min"),
        price_max=stats.get("price_max"),
        moq_min=stats.get("moq_min"),
        customizable=factory.customization != "none",
        province=factory.province,
    )


def product_matches(*, buyer: BuyerProfile, limit: int) -> list[tuple[Product, Match]]:
    matches = get_backend().match("product", fit.PRODUCT_FOR_BUYER, buyer_needs(buyer), limit)
    rows = {p.pk: p for p in product_visible_to(None).filter(pk__in=[m.id for m in matches])}
    return [(rows[m.id], m) for m in matches if m.id in rows]


def factory_matches(*, buyer: BuyerProfile, limit: int) -> list[tuple[Factory, Match]]:
    matches = get_backend().match("factory", fit.FACTORY_FOR_BUYER, buyer_needs(buyer), limit)
    rows = {f.pk: f for f in factory_visible_to(None).filter(pk__in=[m.id for m in matches])}
    return [(rows[m.id], m) for m in matches if m.id in rows]


def buyer_matches(*, factory: Factory, user: User, limit: int) -> list[tuple[BuyerProfile, Match]]:
    matches = get_backend().match("buyer", fit.BUYER_FOR_FACTORY, factory_offer(factory), limit)
    rows = {b.pk: b for b in buyer_visible_to(user).filter(pk__in=[m.id for m in matches])}
    return [(rows[m.id], m) for m in matches if m.id in rows]
