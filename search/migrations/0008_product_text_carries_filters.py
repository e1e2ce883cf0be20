"""Keyword searches read ProductText alone (its rows now carry the filter, facet and ranking
columns); ProductFilter keeps only what searches without a query count on."""

from typing import Never

import django.utils.timezone
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

COPIED = (
    "moq, verified, customizable, trial_eligible, factory_price, category_slug, parent_category_slug, "
    "province, industrial_belt, quality, created_at"
)


def backfill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # PostgreSQL only (SQLite searches the document table). lower() is search.text.normalize() for
    # all but full-width letters; the next `search_index rebuild` writes the exact value.
    if schema_editor.connection.vendor != "postgresql":
        return
    sets = ", ".join(f"{c} = d.{c}" for c in COPIED.split(", "))
    schema_editor.execute(
        f"UPDATE search_producttext AS t SET {sets}, title_folded = lower(d.title) "  # noqa: S608 - constants
        "FROM search_productdocument AS d WHERE d.product_id = t.document_id"
    )


def text_field(name: str, field: "models.Field[Never, object]") -> migrations.AddField:  # any field
    return migrations.AddField(model_name="producttext", name=name, field=field, preserve_default=False)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_product_filter_no_sort_indexes")]

    operations = [
        text_field("moq", models.IntegerField(default=0)),
        text_field("verified", models.BooleanField(default=True)),
        text_field("customizable", models.BooleanField(default=False)),
        text_field("trial_eligible", models.BooleanField(default=False)),
        text_field("factory_price", models.DecimalField(decimal_places=2, max_digits=12, default=0)),
        text_field("category_slug", models.CharField(max_length=64, default="")),
        text_field("parent_category_slug", models.CharField(blank=True, max_length=64, default="")),
        text_field("province", models.CharField(blank=True, max_length=32, default="")),
        text_field("industrial_belt", models.CharField(blank=True, max_length=64, default="")),
        text_field("quality", models.FloatField(default=0)),
        text_field("created_at", models.DateTimeField(default=django.utils.timezone.now)),
        text_field("title_folded", models.CharField(max_length=200, default="")),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RemoveField(model_name="productfilter", name="quality"),
        migrations.RemoveField(model_name="productfilter", name="created_at"),
        migrations.RemoveField(model_name="productfilter", name="title"),
    ]
