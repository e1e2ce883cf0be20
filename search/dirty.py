"""What services call when they change something search shows.

`mark_dirty` sets the row's `search_index_dirty` flag inside the caller's transaction and queues
indexing for after the commit: the task never sees uncommitted rows, and a rolled-back write
queues nothing of its own. Anything a task misses is found by the periodic sweep.

Ids are collected per connection and sent as one task per kind when the transaction commits, so
a job that touches thousands of rows in one transaction (seed_demo, an import, suspending a big
factory) queues a handful of tasks, not one per row.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Model, QuerySet

KIND_BY_MODEL = {"Product": "product", "Factory": "factory", "BuyerProfile": "buyer"}
_BATCH_ATTRIBUTE = "_search_dirty_batch"


def mark_dirty(target: Model | QuerySet, *, products: bool = False) -> None:
    """Mark a row (or a queryset of rows) dirty; `products=True` also marks a factory's products."""
    if isinstance(target, Model):
        model, pks = type(target), [target.pk]
    else:
        model = target.model
        pks = list(target.values_list("pk", flat=True))
    if not pks:
        return
    model.objects.filter(pk__in=pks).update(search_index_dirty=True)
    _queue_after_commit(KIND_BY_MODEL[model.__name__], pks)
    if products:
        from factories.models import Product

        mark_dirty(Product.objects.filter(factory_id__in=pks))


def mark_dirty_ids(kind: str, pks: Iterable[int]) -> None:
    from .indexing import MODELS

    mark_dirty(MODELS[kind].objects.filter(pk__in=list(pks)))


def _queue_after_commit(kind: str, pks: list[int]) -> None:
    """Add ids to this connection's batch and register a flush for the commit.

    Every call registers its own (cheap) callback, because Django drops the callbacks of a
    rolled-back savepoint: the first callback that runs sends the whole batch, the others find
    it empty. Ids of a rolled-back block may ride along with the enclosing commit (indexing a
    clean row again is harmless); a batch whose callbacks were all rolled back is dropped.
    """
    connection = transaction.get_connection()
    if not connection.run_on_commit:
        # No callback is pending, so any batch left on the connection belongs to a transaction
        # that rolled back: start afresh rather than index its rows with this commit.
        connection.__dict__.pop(_BATCH_ATTRIBUTE, None)
    batch = connection.__dict__.setdefault(_BATCH_ATTRIBUTE, defaultdict(set))
    batch[kind].update(pks)
    transaction.on_commit(lambda: _flush(connection))


def _flush(connection) -> None:
    from .tasks import index_dirty_task

    batch = connection.__dict__.pop(_BATCH_ATTRIBUTE, None)
    for kind, pks in (batch or {}).items():
        index_dirty_task.delay(kind, sorted(pks))
