"""Where the Tantivy index lives on disk, who may write it, and how readers follow the writes.

Under settings.SEARCH_TANTIVY_PATH:
    CURRENT              the name of the live index folder (replaced atomically by a rebuild)
    products-<layout>-<stamp>/    index folders (schema.LAYOUT: the fields they were built with)
    writer.lock          an flock: one writer on this machine at a time

One writer. Tantivy's own lock refuses a second IndexWriter outright; every write here first takes
the flock instead, so writers queue. An incremental batch waits at most WRITE_WAIT seconds, then
raises SearchUnavailable: the indexing transaction rolls back, its rows stay dirty, and the
task's retry or the sweep indexes them. A rebuild holds the lock for its whole run, so an edit
made meanwhile waits and is written after the swap, into the new index: none is lost, and none is
overwritten by the rebuild's older read of the row.

Readers. Each process keeps the live index open. Before every search it compares CURRENT and the
index's meta.json (what a commit replaces) with what it loaded, two stat calls, and reloads when
either changed: a search sees every write committed before it began, in any process.

An upgrade that changes the fields (schema.LAYOUT) leaves a folder built with the old ones: it is
neither searched nor written (503, rows stay dirty) until a rebuild replaces it; `make serve` and
the deploy notes rebuild when `needs_rebuild()` says so.
"""

import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import tantivy

from ...shapes import Document, EngineJson
from ..base import SearchUnavailable
from .schema import LAYOUT, SCHEMA, product_document

WRITE_WAIT = 5.0  # seconds an incremental batch waits for the writer lock
REBUILD_WAIT = 600.0
# Tantivy's indexing memory: a batch of 1,000 products needs a few MB; a rebuild's larger budget
# means fewer, larger segments before the merges.
WRITE_HEAP = 50_000_000
REBUILD_HEAP = 400_000_000


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


@dataclass
class _Open:
    name: str
    index: tantivy.Index
    current: tuple[int, int] | None
    meta: tuple[int, int] | None
    pid: int


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._open: _Open | None = None
        self._reading = threading.Lock()

    # ---- names -------------------------------------------------------------------------------
    @property
    def current_file(self) -> Path:
        return self.root / "CURRENT"

    def current_name(self) -> str | None:
        try:
            return self.current_file.read_text().strip() or None
        except FileNotFoundError:
            return None

    def needs_rebuild(self) -> bool:
        """No index yet, or one built with other fields than this code's."""
        name = self.current_name()
        return name is None or not name.startswith(f"products-{LAYOUT}-")

    def _live_name(self) -> str | None:
        name = self.current_name()
        if name is not None and self.needs_rebuild():
            raise SearchUnavailable(
                f"the Tantivy index {name} was built with other fields: run "
                "`manage.py search_index rebuild --kind product`"
            )
        return name

    def _set_current(self, name: str) -> None:
        staged = self.root / "CURRENT.next"
        staged.write_text(name)
        os.replace(staged, self.current_file)  # atomic: a reader sees the old name or the new

    # ---- writing -----------------------------------------------------------------------------
    @contextmanager
    def _writer_lock(self, wait: float) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "writer.lock", "a") as lock:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise SearchUnavailable(
                            "another writer (a rebuild?) holds the Tantivy index"
                        ) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _new_index(self) -> tuple[str, tantivy.Index]:
        name = f"products-{LAYOUT}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
        return name, tantivy.Index(SCHEMA, path=str(self._folder(name)), reuse=False)

    def _folder(self, name: str) -> Path:
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def write(self, docs: list[Document], delete_ids: list[int]) -> None:
        """Replace `docs` (by id) and delete `delete_ids`, in one commit."""
        if not docs and not delete_ids:
            return
        ids = [d["id"] for d in docs] + list(delete_ids)
        converted = [product_document(doc) for doc in docs]  # before the lock: others may write meanwhile
        with self._writer_lock(WRITE_WAIT), _failures_are_outages():
            name = self._live_name()
            if name is None:  # the first write on this machine
                name, index = self._new_index()
                self._commit(index, converted, ids)
                self._set_current(name)
                return
            self._commit(tantivy.Index.open(str(self.root / name)), converted, ids)

    @staticmethod
    def _commit(index: tantivy.Index, docs: list[tantivy.Document], replaced_ids: list[int]) -> None:
        writer = index.writer(heap_size=WRITE_HEAP, num_threads=1)
        # (delete_documents_by_term misses unsigned fields: it asks for a signed term)
        writer.delete_documents_by_query(tantivy.Query.term_set_query(SCHEMA, "id", replaced_ids))
        for doc in docs:
            writer.add_document(doc)
        writer.commit()  # deletes first: they apply to documents added before them only
        writer.wait_merging_threads()

    def rebuild(self, batches: Iterable[list[Document]]) -> EngineJson:
        """Fill a new index folder from `batches`, make it the live one, remove the old one."""
        with self._writer_lock(REBUILD_WAIT), _failures_are_outages():
            name, index = self._new_index()
            writer = index.writer(heap_size=REBUILD_HEAP, num_threads=2)
            indexed = 0
            for docs in batches:
                for doc in docs:
                    writer.add_document(product_document(doc))
                indexed += len(docs)
            writer.commit()
            writer.wait_merging_threads()
            old = self.current_name()
            self._set_current(name)
            if old and old != name:
                # Readers holding it open keep their memory maps until they reload (POSIX).
                shutil.rmtree(self.root / old, ignore_errors=True)
        return {"indexed": indexed, "index": name, "replaced": [old] if old else []}

    # ---- reading -----------------------------------------------------------------------------
    def searcher(self) -> tantivy.Searcher | None:
        """A searcher over every write committed so far; None before the first write."""
        with self._reading, _failures_are_outages():
            current = _stamp(self.current_file)
            held = self._open
            if held is not None and held.pid == os.getpid() and held.current == current:
                meta = _stamp(self.root / held.name / "meta.json")
                if meta != held.meta:
                    held.index.reload()
                    held.meta = meta
                return held.index.searcher()
            name = self._live_name()
            if name is None:
                self._open = None
                return None
            # A forked process (gunicorn, Celery) opens its own: the parent's reader is not its.
            index = tantivy.Index.open(str(self.root / name))
            index.config_reader(reload_policy="Manual")
            self._open = _Open(name, index, current, _stamp(self.root / name / "meta.json"), os.getpid())
            return index.searcher()

    def documents(self) -> int:
        searcher = self.searcher()
        return searcher.num_docs if searcher is not None else 0


@contextmanager
def _failures_are_outages() -> Iterator[None]:
    """An index that cannot be opened or written (missing files, a full disk) is an outage to
    the callers: the API answers 503 and indexed rows stay dirty, as with a search node down."""
    try:
        yield
    except (OSError, ValueError) as exc:
        raise SearchUnavailable(f"the Tantivy index: {exc}") from exc
