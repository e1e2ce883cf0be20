"""The rows of GET search/products/, read as plain values and rendered as ProductOutputSerializer
renders a product (tests/search/test_results.py holds the two equal, field by field).

Why not the serializer itself: with the index answer in hand, loading 20 model instances with
their factory, category and images and running them through DRF's ModelSerializer cost ~10 ms
per search on the 100k bench, more than the search itself. Two `.values()` queries and a dict per
row cost ~2 ms. Every other product endpoint keeps the serializer; the API schema documents it.
"""

from collections.abc import Callable
from typing import Any, TypedDict, cast

from django.db.models import FileField
from django.http import HttpRequest
from rest_framework import serializers

from factories.models import Product, ProductImage
from factories.models.catalog import in_language
from factories.models.product import open_for_trials
from factories.selectors import product_public_q
from marketplace.money import half_price

# Rendering through the same DRF field classes keeps the formats identical (money as "12.50",
# times as ISO 8601 in the current time zone).
_money = serializers.DecimalField(max_digits=12, decimal_places=2)
_time = serializers.DateTimeField()

_PRODUCT_VALUES = (
    "id",
    "factory_id",
    "factory__name",
    "factory__accepts_trials",
    "title",
    "description",
    "category__slug",
    "category__name",
    "category__name_en",
    "factory_price",
    "moq",
    "lead_time_days",
    "customizable",
    "trial_eligible",
    "price_tiers",
    "attributes",
    "status",
    "status_reason",
    "created_at",
    "updated_at",
)
_IMAGE_VALUES = ("product_id", "id", "image", "thumbnail", "width", "height")

# A `.values(*_PRODUCT_VALUES)` row (the database's values, read by column name) and the API's JSON
# of one product made from it (docs/api.md, the product serializer's shape).
Row = dict[str, Any]
ProductJson = dict[str, Any]


class ImageJson(TypedDict):
    id: int
    url: str
    thumbnail_url: str
    width: int | None
    height: int | None


def _images(ids: list[int], absolute: Callable[[str], str]) -> dict[int, list[ImageJson]]:
    storage = {
        name: cast(FileField, ProductImage._meta.get_field(name)).storage for name in ("image", "thumbnail")
    }
    by_product: dict[int, list[ImageJson]] = {}
    # The model's ordering (position, id), as the serializer's prefetch reads them.
    for row in ProductImage.objects.filter(product_id__in=ids).values(*_IMAGE_VALUES):
        by_product.setdefault(row["product_id"], []).append(
            {
                "id": row["id"],
                "url": absolute(storage["image"].url(row["image"])),
                "thumbnail_url": absolute(storage["thumbnail"].url(row["thumbnail"])),
                "width": row["width"],
                "height": row["height"],
            }
        )
    return by_product


def _render(row: Row, images: list[ImageJson]) -> ProductJson:
    trial_eligible = open_for_trials(row["trial_eligible"], row["factory__accepts_trials"])
    return {
        "id": row["id"],
        "factory": row["factory_id"],
        "factory_name": row["factory__name"],
        "title": row["title"],
        "description": row["description"],
        "category": row["category__slug"],
        "category_name": in_language(row["category__name"], row["category__name_en"]),
        "factory_price": _money.to_representation(row["factory_price"]),
        "trial_unit_price": f"{half_price(row['factory_price'])}" if trial_eligible else None,
        "moq": row["moq"],
        "lead_time_days": row["lead_time_days"],
        "customizable": row["customizable"],
        "trial_eligible": trial_eligible,
        "price_tiers": [
            {"min_quantity": t["min_quantity"], "unit_price": _money.to_representation(t["unit_price"])}
            for t in row["price_tiers"]
        ],
        "attributes": row["attributes"],
        "status": row["status"],
        "status_reason": row["status_reason"],
        "images": images,
        # Search shows every caller the public listing; a factory reads its own changes waiting
        # for review on GET products/{id}/ (the serializer's `revision`, null for everyone else).
        "revision": None,
        "created_at": _time.to_representation(row["created_at"]),
        "updated_at": _time.to_representation(row["updated_at"]),
    }


def product_results(*, ids: list[int], request: HttpRequest) -> list[ProductJson]:
    """Public products `ids` in that order, as the API shows them. A product that stopped being
    public between the index's answer and this read is left out, not shown."""
    rows = {
        row["id"]: row
        for row in Product.objects.filter(product_public_q(), pk__in=ids).values(*_PRODUCT_VALUES).order_by()
    }
    found = [pk for pk in ids if pk in rows]
    images = _images(found, request.build_absolute_uri) if found else {}
    return [_render(rows[pk], images.get(pk, [])) for pk in found]
