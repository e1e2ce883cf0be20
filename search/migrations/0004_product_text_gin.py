"""PostgreSQL only: the GIN index moves to the narrow text table (see ProductText)."""

from collections.abc import Callable, Sequence

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FORWARD = [
    "DROP INDEX IF EXISTS search_pd_vector",
    "CREATE INDEX IF NOT EXISTS search_pt_vector ON search_producttext USING gin (search_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_pt_vector",
    "CREATE INDEX IF NOT EXISTS search_pd_vector ON search_productdocument USING gin (search_vector)",
]


def _run(statements: Sequence[str]) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_product_text")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
