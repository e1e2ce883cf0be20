"""Two indexers adding the same new facet combination at the same time (real PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, transaction

from search.backends.database import combos
from search.indexing import index_rows
from search.models import FacetCombo, ProductDocument, ProductFilter, ProductText
from tests import makers
from tests.concurrency import race
from tests.search.conftest import product

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="facet combinations exist on PostgreSQL only"
)


@pytest.mark.django_db(transaction=True)
def test_the_second_indexer_waits_for_the_first_and_reuses_its_combination():
    # given: two listings of one new (category, province, belt) combination, not indexed yet
    first_item = product("折叠收纳箱", factory=makers.FactoryMaker(province="浙江"))
    second_item = product("折叠收纳凳", factory=makers.FactoryMaker(province="浙江"))
    ProductDocument.objects.all().delete()
    FacetCombo.objects.all().delete()
    combos.forget_combos()
    written, committed = threading.Event(), {}

    def first():
        with transaction.atomic():
            index_rows("product", [first_item.pk])
            written.set()
            time.sleep(0.5)  # keep the new combination uncommitted while the second indexer arrives
        committed["first"] = time.monotonic()

    def second():
        assert written.wait(10)
        with transaction.atomic():
            index_rows("product", [second_item.pk])
        committed["second"] = time.monotonic()

    # when
    race(first, second)
    # then: the second waited for the first's row (no unique-key error, no missing id) and used it
    assert committed["second"] > committed["first"]
    (combo,) = FacetCombo.objects.all()
    assert sorted(ProductFilter.objects.values_list("facet_id", flat=True)) == [combo.pk, combo.pk]
    assert sorted(ProductText.objects.values_list("facet_id", flat=True)) == [combo.pk, combo.pk]
    assert (combo.province, combo.category_slug) == ("浙江", "storage")
