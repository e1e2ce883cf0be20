"""Readiness of the search engine, reported by /readyz (marketplace.core.health) once registered."""

from .backends import get_backend


def search_readiness() -> str:
    backend = get_backend()
    own = getattr(backend, "readiness", None)
    if own is not None:  # the embedded Tantivy index: can it be opened?
        answer: str = own()
        return answer
    engine = getattr(backend, "engine", None)
    if engine is None:
        return "not used"  # the database backend: the database check already covers it
    # ping() answers False (not an exception) when the node cannot be reached.
    return "ok" if engine.client.ping() else "unavailable"
