"""Index rows written before migration search.0011 get their price range and MOQ step from it
(the indexer writes them for new rows), so range facets count old rows right without a rebuild."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search.range_facets import moq_step, price_range_index

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("search", "0010_product_text_facet_combo"), ("search", "0011_range_facet_columns")
ROWS = [("19.99", 50), ("20.00", 51), ("99.99", 5000), ("250.00", 9000)]


def test_the_migration_fills_the_columns_of_existing_rows():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        # given: filter rows as the indexer wrote them before the columns existed
        with connection.cursor() as cursor:
            # Only the filter rows matter here: skip the foreign key to their documents.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(
                "INSERT INTO search_facetcombo (category_slug, parent_category_slug, province, industrial_belt) VALUES ('a', 'b', 'c', 'd') RETURNING id"
            )
            (combo,) = cursor.fetchone()
            for i, (price, moq) in enumerate(ROWS, start=1):
                cursor.execute(
                    "INSERT INTO search_productfilter (document_id, moq, verified, customizable, trial_eligible, factory_price, facet_id)"
                    " VALUES (%s, %s, true, false, true, %s, %s)",
                    [i, moq, price, combo],
                )
            cursor.execute("SET session_replication_role = DEFAULT")
        # when
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([AFTER])
        # then: the same values the indexer computes
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT factory_price, moq, price_range, moq_step FROM search_productfilter ORDER BY document_id"
            )
            stored = cursor.fetchall()
        assert [(r[2], r[3]) for r in stored] == [(price_range_index(r[0]), moq_step(r[1])) for r in stored]
        assert [(r[2], r[3]) for r in stored] == [(0, 0), (1, 1), (2, 4), (4, 5)]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_productfilter")
            cursor.execute("DELETE FROM search_facetcombo")
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
