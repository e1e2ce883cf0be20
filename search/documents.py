"""What a search document contains, built once from the models and used by both backends.

A document is a plain dict (JSON-able apart from Decimal / datetime): the database backend
stores it in search/models.py tables, the Elasticsearch backend sends it as `_source`.
Only public rows get a document; anything else is removed from the index.
"""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Count, Max, Min, Model, QuerySet

from buyers.models import BuyerProfile
from factories.models import Category, Factory, Product, ProductStatus
from marketplace.core.sql import among

from . import fit
from .shapes import Document, ProductStats
from .text import document_terms


def _terms(*texts: str) -> str:
    return " ".join(document_terms(*texts))


@lru_cache(maxsize=16_384)
def _one_name_terms(name: str) -> list[str]:
    return document_terms(name)


@lru_cache(maxsize=16_384)
def _name_terms(*names: str) -> str:
    """The terms of a product's category, factory and belt names, as `_terms(*names)` gives them
    (the first occurrence of each term, in order), from each name's terms computed once: the
    same few thousand names recur on every product (a third of the time spent on terms), and the
    same combination on every product of one factory and category."""
    return " ".join(dict.fromkeys(term for name in names for term in _one_name_terms(name)))


def category_expansion() -> dict[str, list[str]]:
    """slug → [slug] for leaves, [slug, children…] for top-level ones: choosing 家居日用 means all of it."""
    rows = list(Category.objects.values_list("slug", "parent__slug"))
    children: defaultdict[str, list[str]] = defaultdict(list)
    for slug, parent in rows:
        if parent:
            children[parent].append(slug)
    return {slug: [slug] if parent else [slug, *children[slug]] for slug, parent in rows}


def _factory_fields(factory: Factory) -> Document:
    return {
        "factory_name": factory.name,
        "industrial_belt": factory.industrial_belt.slug if factory.industrial_belt else "",
        "tier": factory.tier,
        # A lapsed verification (factories/services/freshness.py) is no badge: out of "verified only".
        "verified": factory.verification_current,
        # The figures of the factory's record: its score (`quality`) and reasons are made from them.
        "record": fit.factory_figures(factory),
    }


# What product_document reads of a product (with Product.is_public and open_for_trials): the
# rest of the row (review state, timestamps, …) is not loaded.
PRODUCT_FIELDS = (
    "id",
    "factory_id",
    "category_id",
    "status",
    "title",
    "description",
    "attributes",
    "created_at",
    "factory_price",
    "moq",
    "customizable",
    "trial_eligible",
)


def _ids(rows: Sequence[Model], attribute: str) -> list[int]:
    return sorted({getattr(row, attribute) for row in rows})


def products_with_relations(pks: list[int]) -> list[Product]:
    """The products of `pks` with their factory (and its belt) and category (and its parent)
    attached, each factory and category read once, not joined onto every product row: a batch of
    1,000 products built ~4,500 model instances through select_related, most of them repeats."""
    products = list(among(Product.objects.only(*PRODUCT_FIELDS), pks))
    factories = {
        f.pk: f
        for f in among(Factory.objects.select_related("industrial_belt"), _ids(products, "factory_id"))
    }
    categories = {
        c.pk: c for c in among(Category.objects.select_related("parent"), _ids(products, "category_id"))
    }
    # The relations' caches filled directly, as Django's own prefetching does: the descriptors'
    # checks cost more than the rest of this function (2 of 1,000 products' 14 ms).
    factory_cache = Product._meta.get_field("factory")
    category_cache = Product._meta.get_field("category")
    for product in products:
        factory_cache.set_cached_value(product, factories[product.factory_id])
        category_cache.set_cached_value(product, categories[product.category_id])
    return products


def factory_part(factory: Factory) -> Document:
    """What a product's document takes from its factory, its quality included: the same for all
    of the factory's products, so the indexer makes it once per factory and batch."""
    part = _factory_fields(factory)
    part["quality"] = fit.factory_quality(part)
    return part


def product_document(product: Product, factory_fields: Document | None = None) -> Document:
    """`factory_fields`: factory_part(product.factory), when the caller has it already."""
    factory, category = product.factory, product.category
    belt = factory.industrial_belt
    parent = category.parent
    attribute_text = " ".join(
        f"{k} {' '.join(map(str, v)) if isinstance(v, list) else v}"
        for k, v in (product.attributes or {}).items()
    )
    names = [category.name, category.name_en, factory.name]
    if parent:
        names += [parent.name, parent.name_en]
    if belt:
        names += [belt.name, belt.name_en]
    doc: Document = {
        "id": product.pk,
        "title": product.title,
        "terms_a": _terms(product.title),
        "terms_b": _name_terms(*names),
        "terms_c": _terms(product.description, attribute_text),
        "names": " ".join(names),
        "body": f"{product.description} {attribute_text}".strip(),
        "province": factory.province,
        "created_at": product.created_at,
        "factory_pk": factory.pk,
        "category_slug": category.slug,
        "parent_category_slug": parent.slug if parent else "",
        "category_name": category.name,
        "category_name_en": category.name_en,
        "factory_price": product.factory_price,
        "moq": product.moq,
        "customizable": product.customizable,
        # As the API shows it; re-indexing a factory re-indexes its products (indexing.py).
        "trial_eligible": product.open_for_trials,
        **(factory_fields or factory_part(factory)),
    }
    return doc


def factory_queryset() -> QuerySet[Factory]:
    return Factory.objects.select_related("industrial_belt").prefetch_related("categories")


def factory_product_stats_query(factory_ids: list[int]) -> QuerySet[Any, Any]:
    """Price range, smallest MOQ and count over each factory's public products (they feed
    matching); read from the partial covering index `product_public_price_moq` alone."""
    # (`factory_id__in`, not `among`: PostgreSQL plans the IN list's aggregate faster)
    return (
        Product.objects.filter(factory_id__in=factory_ids, status=ProductStatus.ACTIVE)
        .values("factory_id")
        .annotate(
            price_min=Min("factory_price"),
            price_max=Max("factory_price"),
            moq_min=Min("moq"),
            # COUNT(*), not COUNT(id): the index holds no id, so the scan stays index-only.
            product_count=Count("*"),
        )
    )


def factory_product_stats(factory_ids: list[int]) -> dict[int, ProductStats]:
    rows = factory_product_stats_query(factory_ids)
    return {r["factory_id"]: {k: v for k, v in r.items() if k != "factory_id"} for r in rows}


def factory_document(
    factory: Factory, stats: ProductStats | None, expansion: dict[str, list[str]]
) -> Document:
    stats = stats or {}
    own = [c.slug for c in factory.categories.all()]
    implied = [s for slug in own for s in expansion.get(slug, [slug]) if s not in own]
    belt = factory.industrial_belt
    names = [c.name for c in factory.categories.all()] + [c.name_en for c in factory.categories.all()]
    if belt:
        names += [belt.name, belt.name_en]
    doc: Document = {
        "id": factory.pk,
        "title": factory.name,
        "terms_a": _terms(factory.name),
        "terms_b": _terms(*names, factory.city, factory.province),
        "terms_c": _terms(factory.description),
        "names": " ".join([*names, factory.city, factory.province]),
        "body": factory.description,
        "province": factory.province,
        "created_at": factory.created_at,
        "customization": factory.customization,
        "customizable": factory.customization != "none",
        "accepts_trials": factory.accepts_trials,
        "price_min": stats.get("price_min"),
        "price_max": stats.get("price_max"),
        "moq_min": stats.get("moq_min"),
        "product_count": stats.get("product_count", 0),
        "categories": own,
        "category_slugs": list(dict.fromkeys(own + implied)),
        **_factory_fields(factory),
    }
    doc["quality"] = fit.factory_quality(doc)
    return doc


def buyer_queryset() -> QuerySet[BuyerProfile]:
    return BuyerProfile.objects.prefetch_related("categories", "channels")


def buyer_document(buyer: BuyerProfile, expansion: dict[str, list[str]]) -> Document:
    own = [c.slug for c in buyer.categories.all()]
    implied = [s for slug in own for s in expansion.get(slug, [slug]) if s not in own]
    doc: Document = {
        "id": buyer.pk,
        "title": buyer.display_name,
        "terms_a": _terms(buyer.display_name),
        "terms_b": _terms(*[c.name for c in buyer.categories.all()]),
        "terms_c": "",
        "names": " ".join(c.name for c in buyer.categories.all()),
        "body": "",
        "province": buyer.province,
        "created_at": buyer.created_at,
        "price_min": buyer.price_min,
        "price_max": buyer.price_max,
        "units_per_session": buyer.units_per_session,
        "needs_customization": buyer.needs_customization,
        "followers": sum(c.followers for c in buyer.channels.all()),
        "record": fit.buyer_figures(buyer),
        "categories": own,
        "category_slugs": list(dict.fromkeys(own + implied)),
    }
    doc["quality"] = fit.buyer_quality(doc)
    return doc


def as_decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))
