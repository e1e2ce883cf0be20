"""What the factory's edit page shows of a live listing's changes under review (ProductRevision):
each changed field as "live → waiting for review", the new photos, or the reason staff gave for
rejecting the last changes. The form itself starts from the working copy (live values with the
pending ones laid over), so saving it again edits the same pending changes instead of undoing them.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from factories.models import Category, Product, ProductRevision
from factories.services.revisions import revision_live_values

from .product_forms import as_text

LABELS = {
    "title": _("Title"),
    "description": _("Description"),
    "category": _("Category"),
    "factory_price": _("Factory price per unit (CNY)"),
    "price_tiers": _("Volume prices"),
    "attributes": _("Attributes"),
}


@dataclass
class ChangeRow:
    label: str
    live: str
    proposed: str


def _attributes_text(attributes: dict) -> str:
    return "；".join(f"{k}: {as_text(v)}" for k, v in attributes.items()) or "—"


def _shown(field: str, value: Any, categories: dict[str, str]) -> str:
    if field == "category":
        name: str = categories.get(value, value)
        return name
    if field == "factory_price":
        return f"¥{Decimal(value):.2f}"
    if field == "attributes":
        return _attributes_text(value)
    if field == "price_tiers":
        return "；".join(f"{t['min_quantity']:,}+ ¥{Decimal(t['unit_price']):.2f}" for t in value) or "—"
    return value or "—"


def change_rows(product: Product, revision: ProductRevision) -> list[ChangeRow]:
    changes = revision.changes
    live = revision_live_values(product)
    slugs = [live["category"], changes.get("category")]
    categories = {c.slug: c.display_name for c in Category.objects.filter(slug__in=[s for s in slugs if s])}
    return [
        ChangeRow(
            str(LABELS[field]), _shown(field, live[field], categories), _shown(field, value, categories)
        )
        for field, value in sorted(changes.items(), key=lambda item: list(LABELS).index(item[0]))
    ]
