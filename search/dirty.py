"""Marking rows for reindexing, as seen from search and the apps above it.

The mechanism lives in `marketplace.core.dirty` (a flag and an outbox row in the caller's
transaction) so that factories and buyers need not import search; this module adds what only
search knows: a factory's products show its name and status, so they follow it.

Rows marked in one transaction are published as one task per kind when it commits (the outbox
batches per connection), so a job that touches thousands of rows (seed_demo, an import,
suspending a big factory) queues a handful of tasks, not one per row.
"""

from django.db.models import Model, QuerySet

from factories.models import Product
from marketplace.core.dirty import mark_dirty as _mark_dirty


def mark_dirty(target: Model | QuerySet[Model], *, products: bool = False) -> None:
    """Mark a row (or a queryset of rows) dirty; `products=True` also marks a factory's products."""
    _mark_dirty(target)
    if products:
        pks = [target.pk] if isinstance(target, Model) else list(target.values_list("pk", flat=True))
        _mark_dirty(Product.objects.filter(factory_id__in=pks))
