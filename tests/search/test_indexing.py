"""Index freshness: services mark rows dirty, the on-commit task indexes them, the sweep catches the rest."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from factories.models import IndustrialBelt, Product
from search import documents, indexing
from search.backends import SearchParams, get_backend
from search.indexing import index_rows, iter_documents
from search.models import FacetCombo, ProductDocument, ProductFilter, ProductText
from search.tasks import sweep_dirty
from search.text import normalize
from tests import makers
from tests.search.conftest import index_all, product
from tests.search.flaky import FlakyBackend

URL = "/api/v1/search/products/"


def found(api, **params):
    return [row["title"] for row in api.get(URL, params).json()["results"]]


@pytest.fixture
def listed(db):
    factory = makers.FactoryMaker(name="义乌收纳工厂")
    item = product("折叠收纳箱", factory=factory, moq=500)
    index_all()
    return item


def test_an_api_edit_is_indexed_on_commit(api, listed, django_capture_on_commit_callbacks):
    # given
    api.as_user(listed.factory.owner)
    assert found(api, q="收纳箱", moq_max=100) == []
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.patch(f"/api/v1/products/{listed.pk}/", {"moq": 60}, format="json")
    # then
    assert response.status_code == 200
    assert len(callbacks) == 1
    assert found(api, q="收纳箱", moq_max=100) == ["折叠收纳箱"]
    assert Product.objects.get(pk=listed.pk).search_index_dirty is False


def test_a_failed_write_queues_nothing(api, listed, django_capture_on_commit_callbacks):
    # given
    api.as_user(listed.factory.owner)
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.patch(f"/api/v1/products/{listed.pk}/", {"category": "nope"}, format="json")
    # then
    assert response.status_code == 400
    assert callbacks == []
    assert Product.objects.get(pk=listed.pk).search_index_dirty is False


def test_rejecting_a_listing_removes_it_from_search(api, listed, staff, django_capture_on_commit_callbacks):
    # given
    api.as_user(staff)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/products/{listed.pk}/reject/", {"reason": "图片不符"}, format="json")
    # then
    assert response.status_code == 200
    assert found(api, q="收纳箱") == []
    assert not ProductDocument.objects.filter(pk=listed.pk).exists()


def test_suspending_a_factory_hides_its_products(api, listed, staff, django_capture_on_commit_callbacks):
    # given
    api.as_user(staff)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/factories/{listed.factory_id}/suspend/", {"reason": "假货"}, format="json"
        )
    # then
    assert response.status_code == 200
    assert found(api, q="收纳箱") == []
    assert not ProductDocument.objects.filter(pk=listed.pk).exists()


def test_renaming_a_factory_refreshes_its_products(api, listed, django_capture_on_commit_callbacks):
    # given
    api.as_user(listed.factory.owner)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(
            f"/api/v1/factories/{listed.factory_id}/", {"name": "金华整理家居"}, format="json"
        )
    # then
    assert response.status_code == 200
    assert found(api, q="整理家居") == ["折叠收纳箱"]
    assert found(api, q="义乌收纳工厂") == []


def test_a_factory_that_stops_taking_trials_leaves_the_trial_filter(
    api, listed, django_capture_on_commit_callbacks
):
    # given: the listing is trial-eligible and so found by the filter
    api.as_user(listed.factory.owner)
    assert listed.trial_eligible is True
    assert found(api, q="收纳箱", trial_eligible="true") == ["折叠收纳箱"]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(
            f"/api/v1/factories/{listed.factory_id}/", {"accepts_trials": False}, format="json"
        )
    # then: the filter agrees with what the result says (trial_eligible false); the product's
    # own flag is kept, so turning trials back on restores it
    assert response.status_code == 200
    assert found(api, q="收纳箱", trial_eligible="true") == []
    assert found(api, q="收纳箱", trial_eligible="false") == ["折叠收纳箱"]
    assert api.get(URL, {"q": "收纳箱"}).json()["results"][0]["trial_eligible"] is False
    assert Product.objects.get(pk=listed.pk).trial_eligible is True
    with django_capture_on_commit_callbacks(execute=True):
        api.patch(f"/api/v1/factories/{listed.factory_id}/", {"accepts_trials": True}, format="json")
    assert found(api, q="收纳箱", trial_eligible="true") == ["折叠收纳箱"]


def test_backend_down_keeps_the_edit_and_the_sweep_indexes_it_later(
    api, listed, settings, django_capture_on_commit_callbacks
):
    # given: the search backend is down
    settings.SEARCH_BACKEND = "tests.search.flaky.FlakyBackend"
    FlakyBackend.down, FlakyBackend.attempts = True, 0
    api.as_user(listed.factory.owner)
    try:
        # when
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = api.patch(f"/api/v1/products/{listed.pk}/", {"moq": 60}, format="json")
        for callback in callbacks:
            callback()  # eager: logs and gives up quietly (the request already succeeded)
        # then: the write is kept, the row stays dirty, search still shows the old data
        assert response.status_code == 200
        assert FlakyBackend.attempts == 1
        assert Product.objects.get(pk=listed.pk).moq == 60
        assert Product.objects.get(pk=listed.pk).search_index_dirty is True
        assert found(api, q="收纳箱", moq_max=100) == []
        # when: it recovers and the periodic sweep runs
        FlakyBackend.down = False
        result = sweep_dirty()
        # then
        assert result["product"] == 1
        assert found(api, q="收纳箱", moq_max=100) == ["折叠收纳箱"]
        assert Product.objects.get(pk=listed.pk).search_index_dirty is False
    finally:
        FlakyBackend.down = False


def test_search_index_command_status_and_rebuild(listed, capsys):
    # given: a document that should not be there any more
    Product.objects.filter(pk=listed.pk).update(status="delisted")
    # when
    call_command("search_index", "rebuild", "--kind", "product")
    call_command("search_index", "status")
    # then
    out = capsys.readouterr().out
    assert 'product: {"indexed": 0, "removed": 1' in out
    assert '"backend": "database"' in out
    assert not ProductDocument.objects.exists()


def test_a_rebuild_removes_rows_no_longer_public_and_keeps_rows_indexed_while_it_ran(api, listed):
    # given: a product delisted since it was indexed (its document row is stale)
    gone = product("陶瓷茶杯")
    index_all()
    Product.objects.filter(pk=gone.pk).update(status="delisted")
    backend = get_backend()
    late = []

    def batches():
        docs = iter_documents("product")
        first = next(docs)  # the rebuild's list of public products is read here
        # a product published after that, indexed by the dirty-row indexer while the rebuild runs
        late.append(product("蓝牙耳机"))
        index_rows("product", [late[0].pk], backend)
        yield first
        yield from docs

    # when
    result = backend.rebuild("product", batches(), 2)
    # then
    assert result == {"indexed": 1, "removed": 1}
    assert sorted(ProductDocument.objects.values_list("pk", flat=True)) == sorted([listed.pk, late[0].pk])
    assert found(api, q="耳机") == ["蓝牙耳机"]
    assert found(api, q="茶杯") == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ProductText / ProductFilter exist on PostgreSQL only"
)
def test_text_and_filter_rows_copy_the_document_and_follow_an_edit(
    api, listed, django_capture_on_commit_callbacks
):
    # given: a second listing with full-width letters in its title; neither is customizable yet
    other = product("ＡＢＣ收纳凳", factory=listed.factory, moq=800)
    index_all()
    api.as_user(listed.factory.owner)
    assert found(api, q="收纳", customizable="true") == []
    assert found(api, customizable="true") == []
    # when: an edit that keeps the listing public (no review needed)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(
            f"/api/v1/products/{listed.pk}/", {"moq": 80, "customizable": True}, format="json"
        )
    # then: a keyword search reads ProductText, a filter-only search ProductFilter; both follow
    assert response.status_code == 200
    for pk in (listed.pk, other.pk):
        doc = ProductDocument.objects.get(pk=pk)
        text, row = ProductText.objects.get(pk=pk), ProductFilter.objects.get(pk=pk)
        for name in ("factory_price", "moq", "customizable"):
            assert getattr(text, name) == getattr(row, name) == getattr(doc, name), name
        for name in ("category_slug", "parent_category_slug", "province", "industrial_belt"):
            assert getattr(text.facet, name) == getattr(row.facet, name) == getattr(doc, name), name
        assert (text.quality, text.created_at) == (doc.quality, doc.created_at)
    assert ProductText.objects.get(pk=listed.pk).moq == 80
    assert ProductText.objects.get(pk=other.pk).title_folded == "abc收纳凳"  # folded like a query
    assert found(api, q="收纳", customizable="true") == ["折叠收纳箱"]
    assert found(api, customizable="true") == ["折叠收纳箱"]
    assert found(api, q="abc") == ["ＡＢＣ收纳凳"]
    # both listings share one facet combination, added once
    assert FacetCombo.objects.count() == 1


def test_the_index_rows_hold_the_document_values_exactly(db):
    # given: text that quoting gets wrong (quotes, backslashes, NULL-looking words, a newline,
    # characters outside the BMP), money to the fen and a time to the microsecond
    tricky = product(
        'He said "保温杯" \\ it\'s 100%\nNULL \\N 🍵',
        description="{a,b} (x) [y] \t tab",
        price="12.35",
        attributes={"尺寸": {"长": 30, "备注": 'a "b" \\c'}, "颜色": ["红", None]},
    )
    Product.objects.filter(pk=tricky.pk).update(created_at="2026-11-22T05:06:07.123456+08:00")
    # and a trial record, which the row keeps as JSON (a rating with decimals, a large count)
    type(tricky.factory).objects.filter(pk=tricky.factory_id).update(
        trials_reported=3, units_sold=3_000_000_000, units_returned=7, average_rating=Decimal("4.67")
    )
    tricky.refresh_from_db()
    doc = documents.product_document(documents.products_with_relations([tricky.pk])[0])
    # when
    index_all()
    # then: every column the writer fills from the document reads back as the document's value
    row = ProductDocument.objects.get(pk=tricky.pk)
    skipped = {"product", "terms", "terms_a", "terms_b", "terms_c", "search_vector", "indexed_at"}
    compared = [f.name for f in ProductDocument._meta.concrete_fields if f.name not in skipped]
    assert len(compared) == 18
    assert row.record["units_sold"] == 3_000_000_000 and row.record["average_rating"] == 4.67
    for name in compared:
        assert getattr(row, name) == doc[name], name
    assert row.title == 'He said "保温杯" \\ it\'s 100%\nNULL \\N 🍵'
    assert row.factory_price == Decimal("12.35")
    assert row.created_at.microsecond == 123456
    assert found_ids(q="保温杯") == [tricky.pk]
    text = ProductText.objects.get(pk=tricky.pk)
    assert (text.factory_price, text.created_at, text.title_folded) == (
        Decimal("12.35"),
        tricky.created_at,
        normalize(tricky.title),
    )


def found_ids(**params) -> list[int]:
    return get_backend().search_products(SearchParams(**params)).ids


def _stats_row(factory_id) -> tuple:
    """The factory document's range and its row version (xmin changes on every write)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xmin::text, price_min, price_max, moq_min, product_count "
            "FROM search_factorydocument WHERE factory_id = %s",
            [factory_id],
        )
        return cursor.fetchone()


def test_a_product_edit_rewrites_its_factory_range_only_when_the_range_moves(listed):
    # given: the factory's range is 30.00–30.00, MOQ 500, one product
    cheap = product("收纳盒", factory=listed.factory, price="10.00", moq=50)
    index_all()
    version, *before = _stats_row(listed.factory_id)
    assert before == [Decimal("10.00"), Decimal("30.00"), 50, 2]
    # when: an edit inside the range
    Product.objects.filter(pk=listed.pk).update(title="折叠收纳箱 加厚", search_index_dirty=True)
    index_all()
    # then: the factory row is not written again
    assert _stats_row(listed.factory_id) == (version, *before)
    # when: an edit that moves the range
    Product.objects.filter(pk=cheap.pk).update(factory_price=Decimal("8.50"), search_index_dirty=True)
    index_all()
    # then
    new_version, *after = _stats_row(listed.factory_id)
    assert after == [Decimal("8.50"), Decimal("30.00"), 50, 2]
    assert new_version != version


def test_a_batchs_documents_take_three_queries_and_equal_those_of_whole_rows(db, django_assert_num_queries):
    # given: six products of two factories (one in an industrial belt), in a leaf category
    belt = IndustrialBelt.objects.create(slug="yiwu", name="义乌小商品", name_en="Yiwu small goods")
    factories = [makers.FactoryMaker(industrial_belt=belt), makers.FactoryMaker()]
    items = [product(f"折叠收纳箱 {i}号", factory=factories[i % 2], category="storage") for i in range(6)]
    pks = [item.pk for item in items]
    # when
    with django_assert_num_queries(3):  # products, their factories, their categories
        docs = [documents.product_document(p) for p in documents.products_with_relations(pks)]
    docs.sort(key=lambda doc: doc["id"])
    # then: what loading every column of every joined row gives
    whole = Product.objects.select_related("factory__industrial_belt", "category__parent").order_by("pk")
    assert docs == [documents.product_document(p) for p in whole.filter(pk__in=pks)]
    assert [d["industrial_belt"] for d in docs] == ["yiwu", "", "yiwu", "", "yiwu", ""]


def test_the_factory_price_stats_are_read_from_the_covering_index_alone(listed):
    # given: a second public product and one awaiting review (outside the partial index)
    product("收纳盒", factory=listed.factory, price="10.00", moq=50)
    makers.ProductMaker(factory=listed.factory, factory_price=Decimal("1.00"), status="pending_review")
    # when: the indexer's aggregate, planned as at scale (a seq scan wins on a tiny table)
    stats_sql, params = documents.factory_product_stats_query([listed.factory_id]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {stats_sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then: an index-only scan of the partial covering index; the values count public products only
    assert "Index Only Scan using product_public_price_moq" in plan
    assert documents.factory_product_stats([listed.factory_id]) == {
        listed.factory_id: {
            "price_min": Decimal("10.00"),
            "price_max": Decimal("30.00"),
            "moq_min": 50,
            "product_count": 2,
        }
    }


def test_dirty_products_are_indexed_a_factory_at_a_time_from_the_partial_index(db, monkeypatch):
    # given: two factories' products interleaved by id, all dirty
    factories = [makers.FactoryMaker(), makers.FactoryMaker()]
    items = [product(f"收纳盒 {i}", factory=factories[i % 2]) for i in range(4)]
    Product.objects.filter(pk__in=[p.pk for p in items]).update(search_index_dirty=True)
    batches = []
    real_index_rows = indexing.index_rows
    monkeypatch.setattr(
        indexing,
        "index_rows",
        lambda kind, pks, backend=None: batches.append(pks) or real_index_rows(kind, pks, backend),
    )
    # when: batches of two
    done = indexing.index_dirty("product", batch=2)
    # then: each batch holds one factory's products (by id they would mix both)
    assert done == 4
    assert batches == [[items[0].pk, items[2].pk], [items[1].pk, items[3].pk]]
    assert not Product.objects.filter(search_index_dirty=True).exists()
    assert sorted(ProductDocument.objects.values_list("pk", flat=True)) == [p.pk for p in items]


def test_the_dirty_queue_is_read_from_its_partial_index_in_factory_order(db):
    # given: the indexer's batch query, planned as at scale
    qs = (
        Product.objects.filter(
            indexing._after(Product, ("factory_id", "id"), (0, 0)), search_index_dirty=True
        )
        .order_by("factory_id", "id")
        .values_list("factory_id", "id")[:1000]
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then: the partial index, in its order, with no sort of the dirty rows
    assert "product_dirty_by_factory" in plan
    assert "Sort" not in plan
