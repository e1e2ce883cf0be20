"""ProductFilter rows point at a FacetCombo instead of carrying category / province / belt text."""

from typing import Never

import django.db.models.deletion
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

KEY = "category_slug, parent_category_slug, province, industrial_belt"


def backfill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # PostgreSQL only: the SQLite demo searches the document table.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"INSERT INTO search_facetcombo ({KEY}) SELECT DISTINCT {KEY} FROM search_productdocument "  # noqa: S608
        "ON CONFLICT DO NOTHING"
    )
    schema_editor.execute(
        "UPDATE search_productfilter AS f SET facet_id = c.id FROM search_productdocument AS d "
        f"JOIN search_facetcombo AS c USING ({KEY}) WHERE d.product_id = f.document_id"
    )
    # A row without its document cannot be searched anyway (the cascade normally removes it).
    schema_editor.execute("DELETE FROM search_productfilter WHERE facet_id IS NULL")


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
    dependencies = [("search", "0008_product_text_carries_filters")]

    operations = [
        migrations.CreateModel(
            name="FacetCombo",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("category_slug", models.CharField(max_length=64)),
                ("parent_category_slug", models.CharField(blank=True, max_length=64)),
                ("province", models.CharField(blank=True, max_length=32)),
                ("industrial_belt", models.CharField(blank=True, max_length=64)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("category_slug", "parent_category_slug", "province", "industrial_belt"),
                        name="search_facetcombo_unique",
                    )
                ],
            },
        ),
        migrations.AddField(model_name="productfilter", name="facet", field=facet(null=True)),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(model_name="productfilter", name="facet", field=facet(null=False)),
        migrations.RemoveField(model_name="productfilter", name="category_slug"),
        migrations.RemoveField(model_name="productfilter", name="parent_category_slug"),
        migrations.RemoveField(model_name="productfilter", name="province"),
        migrations.RemoveField(model_name="productfilter", name="industrial_belt"),
    ]
