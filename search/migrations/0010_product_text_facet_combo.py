"""ProductText rows point at their FacetCombo too (counted per combination, like ProductFilter)."""

from typing import Never

import django.db.models.deletion
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def backfill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # PostgreSQL only: the SQLite demo searches the document table.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE search_producttext AS t SET facet_id = f.facet_id "
        "FROM search_productfilter AS f WHERE f.document_id = t.document_id"
    )
    # A text row without its filter row is left from an interrupted write; the next rebuild restores it.
    schema_editor.execute("DELETE FROM search_producttext WHERE facet_id IS NULL")


def facet(null: bool) -> "models.ForeignKey[Never, object]":
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        null=null,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to="search.facetcombo",
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0009_facet_combo")]

    operations = [
        migrations.AddField(model_name="producttext", name="facet", field=facet(null=True)),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(model_name="producttext", name="facet", field=facet(null=False)),
        migrations.RemoveField(model_name="producttext", name="category_slug"),
        migrations.RemoveField(model_name="producttext", name="industrial_belt"),
        migrations.RemoveField(model_name="producttext", name="parent_category_slug"),
        migrations.RemoveField(model_name="producttext", name="province"),
    ]
