"""PostgreSQL only: pg_trgm, the GIN index on the tsvector, the trigram index on titles.

SQLite (the embedded demo) has none of these; the database backend falls back to LIKE there.
"""

from collections.abc import Callable, Sequence

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_pd_vector ON search_productdocument USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS search_pd_title_trgm ON search_productdocument USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_fd_vector ON search_factorydocument USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS search_fd_title_trgm ON search_factorydocument USING gin (title gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_pd_vector",
    "DROP INDEX IF EXISTS search_pd_title_trgm",
    "DROP INDEX IF EXISTS search_fd_vector",
    "DROP INDEX IF EXISTS search_fd_title_trgm",
]


def _run(statements: Sequence[str]) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
