"""Keeping the index fresh: services mark rows dirty; these functions index dirty rows in bulk.

One transaction per batch: lock the dirty rows (skipping rows another indexer holds), build their
documents, send them to the backend, clear the flags. If the backend fails, the transaction rolls
back and the rows stay dirty for the retry or the periodic sweep; a write made while we index
waits for our lock, then marks the row dirty again, so no edit is ever lost or overwritten.
"""

import logging
import time
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import BooleanField, Model
from django.db.models.expressions import RawSQL

from buyers.models import BuyerProfile
from factories.models import Factory, Product
from factories.selectors import factory_public_q, product_public_q
from marketplace.core.public_cache import catalog_changed
from marketplace.core.sql import among

from . import documents
from .backends import Backend, get_backend
from .shapes import Document, EngineJson, ProductStats

logger = logging.getLogger(__name__)

BATCH = 1000
MODELS = {"product": Product, "factory": Factory, "buyer": BuyerProfile}


def _product_docs(pks: list[int]) -> tuple[list[Document], list[int], set[int]]:
    products = documents.products_with_relations(pks)
    public = [p for p in products if p.is_public]
    public_pks = {p.pk for p in public}
    gone = [pk for pk in pks if pk not in public_pks]
    factories = {p.factory_id: p.factory for p in public}
    parts = {pk: documents.factory_part(factory) for pk, factory in factories.items()}
    docs = [documents.product_document(p, parts[p.factory_id]) for p in public]
    return docs, gone, {p.factory_id for p in products}


def _factory_docs(pks: list[int]) -> tuple[list[Document], list[int]]:
    factories = list(documents.factory_queryset().filter(pk__in=pks))
    public = [f for f in factories if f.is_public]
    stats = documents.factory_product_stats([f.pk for f in public])
    expansion = documents.category_expansion()
    gone = [pk for pk in pks if pk not in {f.pk for f in public}]
    return [documents.factory_document(f, stats.get(f.pk), expansion) for f in public], gone


def _buyer_docs(pks: list[int]) -> tuple[list[Document], list[int]]:
    buyers = list(documents.buyer_queryset().filter(pk__in=pks))
    expansion = documents.category_expansion()
    found = {b.pk for b in buyers}
    return [documents.buyer_document(b, expansion) for b in buyers], [pk for pk in pks if pk not in found]


def _refresh_factory_stats(backend: Backend, factory_ids: set[int]) -> None:
    """A product change moves its factory's price range / smallest MOQ (used by matching)."""
    if not factory_ids:
        return
    stats = documents.factory_product_stats(sorted(factory_ids))
    empty: ProductStats = {"price_min": None, "price_max": None, "moq_min": None, "product_count": 0}
    public = among(Factory.objects.filter(verification_status="verified"), factory_ids).values_list(
        "pk", flat=True
    )
    backend.update_factory_stats({fid: stats.get(fid, empty) for fid in public})


def index_rows(kind: str, pks: list[int], backend: Backend | None = None) -> int:
    """Build and send the documents of these rows (caller holds the locks / clears the flags)."""
    backend = backend or get_backend()
    if kind == "product":
        docs, gone, factory_ids = _product_docs(pks)
        backend.index("product", docs, gone)
        _refresh_factory_stats(backend, factory_ids)
    elif kind == "factory":
        docs, gone = _factory_docs(pks)
        backend.index("factory", docs, gone)
        # Product documents carry the factory's name, region and record: refresh them too.
        with transaction.atomic():
            # Locked so a product edit committing meanwhile cannot be overwritten by our older copy.
            product_pks = list(
                Product.objects.filter(factory_id__in=pks).select_for_update().values_list("pk", flat=True)
            )
            for start in range(0, len(product_pks), BATCH):
                chunk = product_pks[start : start + BATCH]
                product_docs, product_gone, _ = _product_docs(chunk)
                backend.index("product", product_docs, product_gone)
    else:
        docs, gone = _buyer_docs(pks)
        backend.index("buyer", docs, gone)
    if kind != "buyer":
        catalog_changed()  # cached anonymous searches would not show the new documents yet
    return len(pks)


# The order the indexer takes dirty rows in. Products go by factory: a batch of 1,000 then holds
# the products of a few dozen factories, not of hundreds, and each factory row, its record and its
# price statistics are read once for them (at 100k products, 640 factories a batch by id, ~50 this
# way). The partial index `product_dirty_by_factory` streams this order.
KEY_ORDER = {"product": ("factory_id", "id"), "factory": ("id",), "buyer": ("id",)}


def _after(model: type[Model], columns: tuple[str, ...], last: tuple[int, ...]) -> RawSQL:
    """Rows after `last` in the key order: a row comparison the index's range scan starts from
    (an OR of column tests would make PostgreSQL read the rows already indexed again)."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    keys = ", ".join(f"{table}.{qn(c)}" for c in columns)
    params = ", ".join(["%s"] * len(columns))
    return RawSQL(f"({keys}) > ({params})", last, output_field=BooleanField())  # noqa: S611 - identifiers from the model


def index_dirty(kind: str, pks: Iterable[int] | None = None, *, batch: int = BATCH) -> int:
    """Index the dirty rows of `kind` (all of them, or only among `pks`). Returns rows indexed."""
    model = MODELS[kind]
    columns = KEY_ORDER[kind]
    backend = get_backend()
    wanted = sorted(set(pks)) if pks is not None else None
    done, last = 0, tuple(0 for _ in columns)
    while True:
        with transaction.atomic():
            qs = model._default_manager.filter(_after(model, columns, last), search_index_dirty=True)
            if wanted is not None:
                qs = qs.filter(pk__in=wanted)
            keys = list(
                qs.select_for_update(skip_locked=True, of=("self",))
                .order_by(*columns)
                .values_list(*columns)[:batch]
            )
            if not keys:
                return done
            chunk = [key[-1] for key in keys]  # the id is the last key column
            index_rows(kind, chunk, backend)
            among(model._default_manager.all(), chunk).update(search_index_dirty=False)
        done += len(chunk)
        last = keys[-1]


def dirty_counts() -> dict[str, int]:
    return {
        kind: model._default_manager.filter(search_index_dirty=True).count() for kind, model in MODELS.items()
    }


def iter_documents(kind: str, *, batch: int = BATCH) -> Iterator[list[Document]]:
    """All public documents of a kind, in batches (for a full rebuild)."""
    model = MODELS[kind]
    qs = model._default_manager.order_by("pk")
    if kind == "product":
        qs = qs.filter(product_public_q())
    elif kind == "factory":
        qs = qs.filter(factory_public_q())
    pks = list(qs.values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        chunk = pks[start : start + batch]
        if kind == "product":
            yield _product_docs(chunk)[0]
        elif kind == "factory":
            yield _factory_docs(chunk)[0]
        else:
            yield _buyer_docs(chunk)[0]


def rebuild(kind: str) -> EngineJson:
    """Reindex everything of a kind. Rows that change meanwhile stay dirty and are swept after."""
    started = time.monotonic()
    model = MODELS[kind]
    total = model._default_manager.count()
    result = get_backend().rebuild(kind, iter_documents(kind), total)
    if kind != "buyer":
        catalog_changed()
    result["seconds"] = round(time.monotonic() - started, 2)
    return result
