"""Reads for the public pages (home, product, factory), composed from the factories selectors so
that what is public is decided in one place (active products of verified factories)."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from factories.models import Category, Factory, FactoryTier, IndustrialBelt, Product
from factories.selectors import category_list, factory_visible_to, product_visible_to

NEW_LISTINGS = 12
FEATURED_FACTORIES = 24
FACTORY_PRODUCTS = 48


@dataclass
class CategoryNode:
    category: Category
    children: list[Category] = field(default_factory=list)


def category_tree() -> list[CategoryNode]:
    """Top-level categories in their order, each with its children: one query."""
    nodes: dict[int, CategoryNode] = {}
    for c in category_list():  # parents first, then children grouped under them
        if c.parent_id is None:
            nodes[c.pk] = CategoryNode(c)
        elif c.parent_id in nodes:
            nodes[c.parent_id].children.append(c)
    return list(nodes.values())


@dataclass
class BeltGroup:
    belt: IndustrialBelt | None  # None: super factories outside any listed belt
    factories: list[Factory]


def featured_factories() -> list[BeltGroup]:
    """Public super factories grouped by industrial belt (belts by name, factories by record)."""
    rows = (
        factory_visible_to(None)
        .filter(tier=FactoryTier.SUPER)
        .prefetch_related(None)  # the cards show no categories
        .order_by(
            "industrial_belt__province",
            "industrial_belt__city",
            "industrial_belt_id",
            "-trials_completed",
            "id",
        )[:FEATURED_FACTORIES]
    )
    groups: dict[int | None, BeltGroup] = {}
    for f in rows:
        groups.setdefault(f.industrial_belt_id, BeltGroup(f.industrial_belt, [])).factories.append(f)
    # Factories without a belt go last.
    return sorted(groups.values(), key=lambda g: g.belt is None)


def public_products() -> QuerySet[Product]:
    return product_visible_to(None).select_related("factory__industrial_belt", "category__parent")


def _cards() -> QuerySet[Product]:
    # A card shows the factory's and the category's names only: fewer joins than a product page.
    return product_visible_to(None)


def new_listings() -> list[Product]:
    return list(_cards().order_by("-created_at", "-id")[:NEW_LISTINGS])


def product_page(pk: int) -> Product:
    """Raises Product.DoesNotExist for anything not public (the page answers 404)."""
    return public_products().get(pk=pk)


def factory_page(pk: int) -> Factory:
    return factory_visible_to(None).get(pk=pk)


def factory_products(factory: Factory) -> list[Product]:
    return list(_cards().filter(factory=factory).order_by("-created_at", "-id")[:FACTORY_PRODUCTS])


def factory_product_count(factory: Factory) -> int:
    return _cards().filter(factory=factory).count()
