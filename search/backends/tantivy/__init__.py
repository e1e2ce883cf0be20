"""The embedded engine backend: SEARCH_BACKEND=tantivy, for one machine with a catalogue near a
million products (docs/decisions/0007: where the database's text index stops being bounded by
the page). Tantivy is a Lucene-class search library, used in process through its official
Python bindings: no server to run.

Only the products' keyword search moves into Tantivy (queries.py), kept in a folder on the local
disk (store.py: one writer, readers in every process). Everything else stays the database
backend's, which this class is: factories and streamers (a few thousand rows) are searched in
their tables, matching reads the document tables, and product documents are still written there
for it; the database's product *search* tables are not written at all.

Fed like the others: services mark rows dirty, the indexing task sends them here in batches, and
a failed write (the writer lock held by a rebuild, a full disk) raises SearchUnavailable, so
the batch rolls back and its rows stay dirty for the retry.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ...shapes import Document, EngineJson
from ..base import SearchPage, SearchParams, SearchUnavailable
from ..database import DatabaseBackend
from .queries import ProductSearch
from .schema import SCHEMA
from .store import Store

__all__ = ["TantivyBackend"]


class TantivyBackend(DatabaseBackend):
    name = "tantivy"
    writes_product_search_tables = False

    def __init__(self, path: Path | str | None = None) -> None:
        self.store = Store(Path(path or settings.SEARCH_TANTIVY_PATH))

    def index(self, kind: str, docs: list[Document], delete_ids: list[int]) -> None:
        super().index(kind, docs, delete_ids)
        if kind == "product":
            # After the database rows, in the same transaction: if this fails, both roll back.
            self.store.write(docs, delete_ids)

    def rebuild(self, kind: str, docs_iter: Iterable[list[Document]], total: int) -> EngineJson:
        if kind != "product":
            return super().rebuild(kind, docs_iter, total)
        started = timezone.now()

        def batches() -> Iterator[list[Document]]:
            for docs in docs_iter:
                DatabaseBackend.index(self, kind, docs, [])  # the document rows matching reads
                yield docs

        result = self.store.rebuild(batches())
        result["removed"] = self.remove_rows_written_before(kind, started)
        return result

    def search_products(self, params: SearchParams) -> SearchPage:
        searcher = self.store.searcher()
        if searcher is None:  # nothing indexed yet on this machine
            return ProductSearch(SCHEMA, params).empty_page()
        try:
            return ProductSearch(SCHEMA, params).page(searcher)
        except (OSError, ValueError) as exc:
            raise SearchUnavailable(f"the Tantivy index: {exc}") from exc

    def readiness(self) -> str:
        try:
            self.store.searcher()
        except SearchUnavailable:
            return "unavailable"
        return "ok"

    def needs_rebuild(self, kind: str) -> bool:
        return kind == "product" and self.store.needs_rebuild()

    def status(self) -> EngineJson:
        out = super().status()
        out["product"] = {
            "documents": None if self.store.needs_rebuild() else self.store.documents(),
            "index": self.store.current_name(),
            "needs_rebuild": self.store.needs_rebuild(),
            "path": str(self.store.root),
        }
        return out
