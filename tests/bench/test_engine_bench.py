"""`make bench`: the engine backend against a real node (issue 11, section 3), on the bench's market.

`make bench` starts the OpenSearch node of devtools/search-node/ and passes OPENSEARCH_URL; set
ELASTICSEARCH_URL (and SEARCH_BACKEND=elasticsearch) for an Elasticsearch cluster instead. Prints
the full rebuild time, indexing through the dirty-row path with two worker processes, search p50 /
p95 through the API and the backend (the bench's 50 searches plus broad and one-character words),
matching p50 / p95, and the database backend on the same searches, interleaved, for the ratio.
Size: BENCH_ENGINE_PRODUCTS (100,000), with BENCH_FACTORIES and BENCH_BUYERS.
"""

import json
import os
import time
import urllib.request
import uuid

import pytest
from django.db import connection

from factories.models import Product
from search.backends import get_backend, reset_backends
from search.backends.database import DatabaseBackend
from search.indexing import index_rows, rebuild
from tests.bench.seed import seed_market
from tests.bench.test_search_bench import (
    BROAD,
    BUYERS,
    FACTORIES,
    calibration,
    index_in_workers,
    ok,
    queries,
    search_params,
    summary,
    timed,
)
from tests.conftest import Client

PRODUCTS = int(os.environ.get("BENCH_ENGINE_PRODUCTS", "100000"))
URLS = {"opensearch": "OPENSEARCH_URL", "elasticsearch": "ELASTICSEARCH_URL"}
ENGINE = next((name for name, var in URLS.items() if os.environ.get(var)), None)
if os.environ.get("SEARCH_BACKEND") in URLS and os.environ.get(URLS[os.environ["SEARCH_BACKEND"]]):
    ENGINE = os.environ["SEARCH_BACKEND"]

pytestmark = pytest.mark.skipif(
    ENGINE is None, reason="no search node: `make bench` starts one (or set OPENSEARCH_URL)"
)


def node(method: str, path: str) -> dict:
    url = os.environ[URLS[ENGINE]].rstrip("/") + path
    request = urllib.request.Request(url, method=method)  # noqa: S310 - the node from the environment
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.loads(response.read() or b"null")


@pytest.mark.django_db(transaction=True)
def test_engine_bench(settings):
    settings.DEBUG = False
    prefix = f"yt-bench-{uuid.uuid4().hex[:6]}"
    settings.SEARCH_BACKEND = ENGINE
    setattr(settings, URLS[ENGINE], os.environ[URLS[ENGINE]])
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    reset_backends()
    report = [calibration(), f"engine: {ENGINE} at {os.environ[URLS[ENGINE]]}"]
    try:
        _bench(report)
    finally:
        node("DELETE", f"/{prefix}-*")
        reset_backends()
    print("\n" + "\n".join(report))


def _bench(report: list[str]) -> None:
    # given
    started = time.perf_counter()
    market = seed_market(products=PRODUCTS, factories=FACTORIES, buyers=BUYERS)
    report.append(f"seeded {PRODUCTS:,} products in {time.perf_counter() - started:.1f} s")
    for kind in ("factory", "buyer"):
        rebuild(kind)
    # when: a full rebuild (a new index, streaming_bulk, the alias swapped)
    result = rebuild("product")
    report.append(
        f"full rebuild: {result['indexed']:,} products in {result['seconds']:.1f} s"
        f" = {result['indexed'] / result['seconds']:,.0f} products/s"
    )
    # the dirty-row path (what services and the sweep use), two worker processes
    half = Product.objects.order_by("pk").values_list("pk", flat=True)[PRODUCTS // 2]
    dirty = Product.objects.filter(pk__gte=half)
    size = dirty.update(search_index_dirty=True)
    seconds = index_in_workers(2)
    report.append(
        f"indexing, 2 worker(s): {size:,} products in {seconds:.1f} s = {size / seconds:,.0f} products/s"
    )
    node("POST", f"/{get_backend().prefix}-*/_refresh")
    # the same rows in the database backend, for the ratio
    database = DatabaseBackend()
    public = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(public), 2000):
        index_rows("product", public[start : start + 2000], database)
    with connection.cursor() as cursor:
        for table in ("search_productdocument", "search_producttext", "search_productfilter"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    # then: searches through the API and the backends, matching through the API
    api = Client()
    runs = queries() + BROAD
    api_search = timed(lambda p: ok(api.get("/api/v1/search/products/", p)), runs * 3)
    engine = get_backend()
    ours, theirs = [], []
    for params in runs:  # warm both
        engine.search_products(search_params(params))
        database.search_products(search_params(params))
    for _ in range(3):
        for params in runs:
            p = search_params(params)
            t = time.perf_counter()
            engine.search_products(p)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            database.search_products(p)
            theirs.append(time.perf_counter() - t)

    def match(user):
        api.force_authenticate(user)
        return ok(api.get("/api/v1/matches/products/", {"limit": 20}))

    users = market["users"][:50]
    match(users[0])
    api_match = timed(match, users)
    for label, samples in [
        ("GET search/products (API, engine)", api_search),
        ("engine backend (same searches)", ours),
        ("database backend (interleaved)", theirs),
        ("GET matches/products (API, 50 streamers)", api_match),
    ]:
        median, p95 = summary(samples)
        report.append(f"{label:44} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    (e50, e95), (d50, d95) = summary(ours), summary(theirs)
    report.append(f"engine / database: {e50 / d50:.2f}× (median), {e95 / d95:.2f}× (p95)")
