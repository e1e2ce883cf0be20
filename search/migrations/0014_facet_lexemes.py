"""Products' text rows carry their facet values as lexemes (backends/database/common.py
facet_lexeme), for keyword searches inside a category / province / belt past the count cap. The
writer adds them from now on; this adds them to the rows already written, in SQL (~1 min per
million products). PostgreSQL only: SQLite has no text rows."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# common.facet_lexeme, in SQL: 'zf' and the first 16 hex digits of md5(facet name, 0x1f, value).
LEXEMES = """
    array_remove(ARRAY[
        CASE WHEN c.category_slug <> '' THEN 'zf' || left(md5('category' || chr(31) || c.category_slug), 16) END,
        CASE WHEN c.parent_category_slug <> ''
             THEN 'zf' || left(md5('category' || chr(31) || c.parent_category_slug), 16) END,
        CASE WHEN c.province <> '' THEN 'zf' || left(md5('province' || chr(31) || c.province), 16) END,
        CASE WHEN c.industrial_belt <> ''
             THEN 'zf' || left(md5('industrial_belt' || chr(31) || c.industrial_belt), 16) END
    ], NULL)
"""


def add_lexemes(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE search_producttext AS t SET search_vector = t.search_vector || array_to_tsvector("  # noqa: S608
        f"{LEXEMES}) FROM search_facetcombo AS c WHERE c.id = t.facet_id"
    )


def remove_lexemes(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"UPDATE search_producttext AS t SET search_vector = ts_delete(t.search_vector, {LEXEMES}) "  # noqa: S608
        "FROM search_facetcombo AS c WHERE c.id = t.facet_id"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0013_rank_index"),
    ]

    operations = [migrations.RunPython(add_lexemes, remove_lexemes, elidable=False)]
