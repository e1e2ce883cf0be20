"""PostgreSQL only: the GIN index moves to the narrow text table (see ProductText)."""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS search_pd_vector",
    "CREATE INDEX IF NOT EXISTS search_pt_vector ON search_producttext USING gin (search_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_pt_vector",
    "CREATE INDEX IF NOT EXISTS search_pd_vector ON search_productdocument USING gin (search_vector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_product_text")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
