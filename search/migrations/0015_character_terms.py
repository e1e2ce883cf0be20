"""Documents are indexed with every CJK character as a term (search/text.py): rebuild every
product document (the sweep does it, ~7 min per million products on 2 cores; docs/deploy.md).
Until a product is reindexed, a one-character word finds it only where the character ends a run
of Chinese text, as before. The engine backend is not affected (its analyzer does its own terms)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def reindex_products(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("factories", "Product").objects.update(search_index_dirty=True)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0014_facet_lexemes"),
        ("factories", "0008_bulk_order_lifecycle"),
    ]

    operations = [migrations.RunPython(reindex_products, migrations.RunPython.noop, elidable=False)]
