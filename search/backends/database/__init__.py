"""The database backend: search/models.py tables, full-text search on PostgreSQL, LIKE on SQLite.

Ranking semantics shared with Elasticsearch: relevance = text rank × (1 + quality); without a
query, quality then newest. Ties always end on the id, so pages are stable. Facets count with
every filter applied except their own (choosing 面膜 still shows the other categories' counts).
"""

from ..base import Backend
from .common import DOC_MODELS
from .reader import DatabaseReader
from .writer import DatabaseWriter

__all__ = ["DOC_MODELS", "DatabaseBackend"]


class DatabaseBackend(DatabaseWriter, DatabaseReader, Backend):
    name = "database"
