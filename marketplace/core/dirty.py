"""What services call when they change something search shows (factories, buyers, trials).

The row's `search_index_dirty` flag is set and a `search.index` outbox row is written, both in
the caller's transaction. Search registers the consumer (search/consumers.py): the flag is what
its indexer locks and clears, the outbox row is what gets the indexer to run promptly and
survives a broker outage. This module lives in core so that apps below search never import it.
"""

from django.db.models import Model, QuerySet

from .outbox import outbox_put
from .public_cache import catalog_changed

SEARCH_INDEX_TOPIC = "search.index"
# What anonymous visitors see (marketplace/core/public_cache.py); a streamer's profile is not.
PUBLIC_CATALOG = {"factories.product", "factories.factory"}


def _marked(model: type[Model], pks: list[int]) -> None:
    label = model._meta.label_lower
    outbox_put(SEARCH_INDEX_TOPIC, {"model": label, "ids": pks})
    if label in PUBLIC_CATALOG:
        catalog_changed()


def mark_dirty_saving(model: type[Model], pk: int, fields: dict) -> None:
    """Save `fields` on one row and mark it for reindexing in the same UPDATE (one statement
    instead of an update, a read of the ids and a second update)."""
    model._default_manager.filter(pk=pk).update(search_index_dirty=True, **fields)
    _marked(model, [pk])


def mark_dirty(target: Model | QuerySet) -> None:
    """Mark a row (or a queryset of rows) for reindexing once the caller's transaction commits."""
    if isinstance(target, Model):
        model, pks = type(target), [target.pk]
    else:
        model = target.model
        pks = list(target.values_list("pk", flat=True))
    if not pks:
        return
    model._default_manager.filter(pk__in=pks).update(search_index_dirty=True)
    _marked(model, sorted(pks))
