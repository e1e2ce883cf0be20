"""What services call when they change something search shows.

`mark_dirty` sets the row's `search_index_dirty` flag inside the caller's transaction and queues
the indexing task for after the commit (`delay_on_commit`): the task never sees uncommitted rows,
and a rolled-back write queues nothing. Anything the task misses is found by the periodic sweep.
"""

from collections.abc import Iterable

from django.db.models import Model, QuerySet

KIND_BY_MODEL = {"Product": "product", "Factory": "factory", "BuyerProfile": "buyer"}


def mark_dirty(target: Model | QuerySet, *, products: bool = False) -> None:
    """Mark a row (or a queryset of rows) dirty; `products=True` also marks a factory's products."""
    from .tasks import index_dirty_task

    if isinstance(target, Model):
        model, pks = type(target), [target.pk]
    else:
        model = target.model
        pks = list(target.values_list("pk", flat=True))
    if not pks:
        return
    model.objects.filter(pk__in=pks).update(search_index_dirty=True)
    index_dirty_task.delay_on_commit(KIND_BY_MODEL[model.__name__], pks)
    if products:
        from factories.models import Product

        mark_dirty(Product.objects.filter(factory_id__in=pks))


def mark_dirty_ids(kind: str, pks: Iterable[int]) -> None:
    from .indexing import MODELS

    mark_dirty(MODELS[kind].objects.filter(pk__in=list(pks)))
