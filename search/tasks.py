"""Indexing tasks: idempotent (they index whatever is dirty), safe to retry, bounded in time."""

import logging

from celery import Task, shared_task

from marketplace.core.outbox import outbox_claim

from .backends import SearchUnavailable
from .indexing import MODELS, index_dirty

logger = logging.getLogger(__name__)

# Rows listed in one task message; more than this and the sweep takes them (keeps messages small).
MAX_IDS_PER_TASK = 5000


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(SearchUnavailable,),
    retry_backoff=1,
    retry_backoff_max=60,
    max_retries=8,
    soft_time_limit=120,
    time_limit=150,
)
def index_dirty_task(
    self: Task, kind: str, pks: list[int] | None = None, outbox_ids: list[int] | None = None
) -> int:
    """Index the dirty rows among `pks` and mark the outbox rows that asked for it delivered."""
    if pks is not None and len(pks) > MAX_IDS_PER_TASK:
        pks = None
    eager = bool(self.request.is_eager)
    with outbox_claim(outbox_ids) as claim:
        if not claim:
            return 0  # the relay or another worker has delivered these rows
        try:
            done = index_dirty(kind, pks)
        except SearchUnavailable:
            if not eager:
                raise  # autoretry with backoff; the rows stay dirty and the outbox rows pending
            # Eager (no broker, `make run`): this runs inside the request that already committed
            # the write; failing here would turn a saved edit into an error page. The relay retries.
            logger.warning("search backend unavailable; %s rows stay dirty for the relay", kind)
            claim.postpone()
            return 0
    if (
        not eager
        and pks is not None
        and MODELS[kind]._default_manager.filter(pk__in=pks, search_index_dirty=True).exists()
    ):
        # Some rows were locked by another transaction (SKIP LOCKED): try again in a moment
        # rather than leave them to the minute-long sweep. The outbox rows are delivered already.
        raise self.retry(args=(kind, pks), kwargs={}, countdown=0.5, max_retries=10)
    return done


@shared_task(acks_late=True, soft_time_limit=240, time_limit=280)
def sweep_dirty() -> dict[str, int]:
    """Periodic: index anything still dirty (a lost task, a backend outage that has ended)."""
    done: dict[str, int] = {}
    for kind in MODELS:
        try:
            done[kind] = index_dirty(kind)
        except SearchUnavailable:
            logger.warning("search backend unavailable; %s rows stay dirty until the next sweep", kind)
            done[kind] = 0
    return done
