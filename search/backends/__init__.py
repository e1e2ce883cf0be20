"""Backend choice: settings.SEARCH_BACKEND = database | tantivy | elasticsearch | opensearch | a dotted
path (tests)."""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Backend, Match, SearchPage, SearchParams, SearchUnavailable

__all__ = ["Backend", "Match", "SearchPage", "SearchParams", "SearchUnavailable", "get_backend"]

_cache: dict[str, Backend] = {}


def get_backend() -> Backend:
    name = settings.SEARCH_BACKEND
    if name not in _cache:
        if name == "database":
            from .database import DatabaseBackend

            _cache[name] = DatabaseBackend()
        elif name == "tantivy":
            from .tantivy import TantivyBackend

            _cache[name] = TantivyBackend()
        elif name == "elasticsearch":
            from .elastic import ElasticsearchBackend

            _cache[name] = ElasticsearchBackend()
        elif name == "opensearch":
            from .elastic import OpenSearchBackend

            _cache[name] = OpenSearchBackend()
        else:
            _cache[name] = import_string(name)()
    return _cache[name]


def reset_backends() -> None:
    """Forget cached backends (tests that change settings)."""
    _cache.clear()
