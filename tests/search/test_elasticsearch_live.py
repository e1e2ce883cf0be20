"""The same scenarios on a real cluster, when one is available (ELASTICSEARCH_URL=http://…:9200)."""

import os
import uuid
from decimal import Decimal

import pytest

from search import fit
from search.backends import SearchParams
from search.backends.database import DatabaseBackend
from search.backends.elastic import ElasticsearchBackend, make_client
from search.indexing import index_rows
from search.selectors import buyer_needs
from tests import makers
from tests.search.conftest import index_all, product

pytestmark = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="no Elasticsearch cluster here: set ELASTICSEARCH_URL to run these against a real one",
)


@pytest.fixture
def live(settings):
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    backend = ElasticsearchBackend(make_client(), prefix=f"yt-test-{uuid.uuid4().hex[:8]}")
    yield backend
    backend.client.indices.delete(index=f"{backend.prefix}-*")


def refresh(backend):
    backend.client.indices.refresh(index=f"{backend.prefix}-*")


@pytest.fixture
def catalog(db):
    beauty = makers.FactoryMaker(name="白云美妆厂", province="广东", tier="super", categories=["beauty"])
    audio = makers.FactoryMaker(name="深圳声学科技", province="广东")
    rows = [
        product("补水睡眠面膜", factory=beauty, category="facial-masks", price="38.00", moq=200),
        product("玻尿酸面膜 10片装", factory=beauty, category="facial-masks", price="55.00", moq=500),
        product("TWS蓝牙5.3耳机 降噪", factory=audio, category="earphones-speakers", price="45.00"),
        product("蓝牙5.0耳机 入门款", factory=audio, category="earphones-speakers", price="25.00"),
    ]
    index_all()
    return rows


def load(backend):
    from buyers.models import BuyerProfile
    from factories.models import Factory, Product

    index_rows("factory", list(Factory.objects.values_list("pk", flat=True)), backend)
    index_rows("product", list(Product.objects.values_list("pk", flat=True)), backend)
    index_rows("buyer", list(BuyerProfile.objects.values_list("pk", flat=True)), backend)
    refresh(backend)


@pytest.mark.parametrize("q", ["面膜", "蓝牙5.3耳机", "补水面膜", "白云美妆", "mianmo", "膜", "睡", "鞋"])
def test_text_search_agrees_with_the_database_backend(live, catalog, q):
    load(live)
    expected = DatabaseBackend().search_products(SearchParams(q=q))
    got = live.search_products(SearchParams(q=q))
    assert sorted(got.ids) == sorted(expected.ids)
    assert got.facets == expected.facets


def test_filters_sorting_and_facets_agree(live, catalog):
    load(live)
    params = SearchParams(category="facial-masks", province="广东", sort="price")
    assert live.search_products(params) == DatabaseBackend().search_products(params)


def test_matching_agrees(live, catalog):
    buyer = makers.BuyerMaker(categories=["beauty"], price_min=Decimal("30"), price_max=Decimal("60"))
    index_all()
    load(live)
    needs = buyer_needs(buyer)
    expected = DatabaseBackend().match("product", fit.PRODUCT_FOR_BUYER, needs, 10)
    assert live.match("product", fit.PRODUCT_FOR_BUYER, needs, 10) == expected


def test_rebuild_swaps_the_alias(live, catalog, settings):
    load(live)
    (before,) = live.client.indices.get_alias(name=live.alias("product")).body
    from search.indexing import iter_documents

    live.rebuild("product", iter_documents("product"), 4)
    (after,) = live.client.indices.get_alias(name=live.alias("product")).body
    assert after != before
    assert live.client.count(index=live.alias("product")).body["count"] == 4
