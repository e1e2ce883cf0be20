"""A database backend whose indexing can be switched off, to play an Elasticsearch outage.

Mocking is the last resort here: the outage is the one thing no real part can give us on demand.
"""

from search.backends import SearchUnavailable
from search.backends.database import DatabaseBackend


class FlakyBackend(DatabaseBackend):
    name = "flaky"
    down = False
    attempts = 0

    def index(self, kind, docs, delete_ids):
        type(self).attempts += 1
        if type(self).down:
            raise SearchUnavailable("connection refused")
        return super().index(kind, docs, delete_ids)
