"""`make bench`: the database backend on 100,000 products / 5,000 factories / 2,000 streamers.

Prints median and p95 latency of GET search/products (50 varied queries with filters) and of
GET matches/products (50 streamers), indexing throughput, and the same searches done naively
(`icontains` + the same filters, count and facets) as a baseline, all in the same run. Then
the same searches plus broad and one-character words and pages without words through the
database backend and the Tantivy backend (search/backends/tantivy/), interleaved query by query,
with the p50 / p95 ratio and whether they gave the same pages (issue 16); then the API and the
dirty-row indexing with SEARCH_BACKEND=tantivy.
Sizes: BENCH_PRODUCTS (up to 1,000,000: `make bench BENCH_PRODUCTS=1000000`, ~10 min more),
BENCH_FACTORIES, BENCH_BUYERS; lower them for a quick try.
"""

import multiprocessing
import os
import statistics
import time
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Count, Q

from factories.models import Product
from factories.selectors import product_public_q
from search.backends import SearchParams, get_backend, reset_backends
from search.backends.database import DatabaseBackend
from search.backends.tantivy import TantivyBackend
from search.indexing import index_dirty, rebuild
from tests.bench.seed import seed_market
from tests.conftest import Client

PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "100000"))
FACTORIES = int(os.environ.get("BENCH_FACTORIES", "5000"))
BUYERS = int(os.environ.get("BENCH_BUYERS", "2000"))

WORDS = [
    "面膜",
    "蓝牙耳机",
    "保温杯",
    "茶具",
    "收纳",
    "折叠",
    "手工陶瓷",
    "无线",
    "大容量",
    "网红零食",
    "汉服",
    "不锈钢 316",
    "竹纤维",
    "钛合金",
    "冷萃 咖啡",
    "免打孔 收纳",
    "降噪 耳机",
    "国潮 汉服",
]
FILTERS = [
    {},
    {"price_max": "60"},
    {"price_min": "20", "price_max": "120", "moq_max": "500"},
    {"customizable": "true"},
    {"province": "浙江", "sort": "price"},
    {"trial_eligible": "true", "sort": "-price"},
    {"category": "beauty"},
    {"sort": "newest", "moq_max": "200"},
]


# Words that match a large share of the catalogue, and one-character words (issue 16).
BROAD = [{"q": w} for w in ("大容量", "补水", "便携", "家用", "收纳盒", "杯", "膜", "壶")] + [
    {"q": "大容量", "province": "浙江"},
    {"q": "杯", "price_max": "60"},
    {"q": "便携", "sort": "price"},
    {"q": "补水", "category": "beauty", "sort": "newest"},
]


# Pages without words, sorted by price (issue 11: ≤ 80 ms at 1M), the first and a deep page.
FILTER_ONLY = [
    {"sort": "price"},
    {"sort": "-price", "category": "beauty"},
    {"sort": "price", "province": "浙江", "moq_max": "200"},
    {"sort": "price", "price_max": "60", "customizable": "true"},
    {"sort": "-price", "trial_eligible": "true", "page": "50"},
]


def queries() -> list[dict]:
    out = []
    for i in range(50):
        params = dict(FILTERS[i % len(FILTERS)])
        if i % 10 != 9:  # every tenth query has no text: filters / facets only
            params["q"] = WORDS[i % len(WORDS)]
        out.append(params)
    return out


def ok(response):
    assert response.status_code == 200, response.content[:300]
    return response


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def timed(fn, runs) -> list[float]:
    fn(runs[0])  # warm caches (jieba, plans) once, as a running server would be
    samples = []
    for item in runs:
        started = time.perf_counter()
        fn(item)
        samples.append(time.perf_counter() - started)
    return samples


def naive_search(params: dict) -> None:
    """The obvious implementation: icontains over title/description plus the same filters and facets."""
    qs = Product.objects.filter(product_public_q())
    for word in params.get("q", "").split():
        qs = qs.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(factory__name__icontains=word)
        )
    if "price_min" in params:
        qs = qs.filter(factory_price__gte=Decimal(params["price_min"]))
    if "price_max" in params:
        qs = qs.filter(factory_price__lte=Decimal(params["price_max"]))
    if "moq_max" in params:
        qs = qs.filter(moq__lte=int(params["moq_max"]))
    if "customizable" in params:
        qs = qs.filter(customizable=True)
    if "trial_eligible" in params:
        qs = qs.filter(trial_eligible=True)
    if "province" in params:
        qs = qs.filter(factory__province=params["province"])
    if "category" in params:
        qs = qs.filter(Q(category__slug=params["category"]) | Q(category__parent__slug=params["category"]))
    qs.count()
    list(qs.order_by("-created_at", "-id").values_list("id", flat=True)[:20])
    for field in ("category__slug", "factory__province", "factory__industrial_belt__slug"):
        list(qs.values(field).annotate(n=Count("id")).order_by("-n")[:50])


def search_params(params: dict) -> SearchParams:
    """The API's query parameters as the backend's SearchParams (first page of 20)."""
    p = {k: v for k, v in params.items()}
    if "page" in p:
        p["offset"] = (int(p.pop("page")) - 1) * 20
    for key in ("price_min", "price_max"):
        if key in p:
            p[key] = Decimal(p[key])
    if "moq_max" in p:
        p["moq_max"] = int(p["moq_max"])
    for key in ("customizable", "trial_eligible"):
        if key in p:
            p[key] = True
    return SearchParams(**p)


def backend_search(params: dict):
    return get_backend().search_products(search_params(params))


def beside_tantivy(runs: list[dict], folder: str, rounds: int = 3) -> tuple[list[str], float, float]:
    """The database backend and the Tantivy backend (SEARCH_BACKEND=tantivy) on the same searches,
    interleaved (a slow moment of a shared machine hits both), `rounds` times; the lines to
    print, the database backend's p95 and the p95 ratio. The Tantivy index is filled by the
    backend's own rebuild (which also rewrites the product document rows, as it does in use)."""
    database, side = DatabaseBackend(), TantivyBackend(folder)
    started = time.perf_counter()
    built = indexing_rebuild("product", side)
    seconds = time.perf_counter() - started
    lines = [
        f"tantivy backend rebuild: {built['indexed']:,} products in {seconds:.1f} s"
        f" = {built['indexed'] / seconds:,.0f} products/s (document rows included)"
    ]
    ours, theirs, same, compared, differs = [], [], 0, 0, []
    for params in runs:  # warm both (jieba, plans, the index's pages)
        database.search_products(search_params(params))
        side.search_products(search_params(params))
    for round_ in range(rounds):
        for params in runs:
            p = search_params(params)
            started = time.perf_counter()
            page = database.search_products(p)
            ours.append((time.perf_counter() - started, params))
            started = time.perf_counter()
            other = side.search_products(p)
            theirs.append(time.perf_counter() - started)
            if round_ == 0:
                compared += 1
                # Past the cap the database's count is a lower bound and its facets a sample.
                counts = page.count == other.count if page.count_exact else other.count >= page.count
                agree = (page.ids, page.relaxed) == (other.ids, other.relaxed) and counts
                # Past the cap both count facets over part of the hits (not the same part).
                agree = agree and (
                    page.facets == other.facets or not (page.facets_exact and other.facets_exact)
                )
                same += agree
                if not agree:
                    differs.append(
                        f"  differs: {params} count {page.count} vs {other.count}, "
                        f"ids in common {len(set(page.ids) & set(other.ids))} of {len(page.ids)}"
                        + (", same set" if set(page.ids) == set(other.ids) else "")
                    )
    (o50, o95), (t50, t95) = summary([t for t, _ in ours]), summary(theirs)
    lines += [
        f"{'database backend (search + broad words)':44} median {o50:7.1f} ms   p95 {o95:7.1f} ms",
        f"{'tantivy backend (same searches, interleaved)':44} median {t50:7.1f} ms   p95 {t95:7.1f} ms",
        f"database / tantivy: {o50 / t50:.1f}× (median), {o95 / t95:.1f}× (p95)",
        f"same page, count and relaxation (facets too where both are exact): {same} of {compared}",
        *differs[:8],
    ]
    slowest: dict[str, float] = {}
    for seconds, params in ours:
        key = str(params)
        slowest[key] = max(slowest.get(key, 0.0), seconds)
    for key, seconds in sorted(slowest.items(), key=lambda kv: -kv[1])[:5]:
        lines.append(f"  slowest (database): {seconds * 1000:.1f} ms {key}")
    return lines, o95, t95


def indexing_rebuild(kind: str, backend) -> dict:
    from search.indexing import iter_documents

    return backend.rebuild(kind, iter_documents(kind), 0)


def _index_worker() -> None:
    connections.close_all()  # never use the parent's sockets in a forked child:
    reset_backends()  # neither the database's nor the search node's

    index_dirty("product")  # what the periodic sweep runs
    connections.close_all()


def index_in_workers(workers: int) -> float:
    """Seconds for `workers` processes to index the dirty products, all competing for the same
    rows as Celery workers do (each batch locked FOR UPDATE SKIP LOCKED by whoever gets it)."""
    connections.close_all()
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    processes = [context.Process(target=_index_worker) for _ in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    seconds = time.perf_counter() - started
    assert [p.exitcode for p in processes] == [0] * workers
    return seconds


def calibration() -> str:
    """How fast this machine is right now (shared machines vary by 2× from day to day), so that
    figures from different runs can be compared: a fixed Python loop and a fixed SQL scan."""
    started = time.perf_counter()
    sum(i * i for i in range(1_000_000))
    python_ms = (time.perf_counter() - started) * 1000
    with connection.cursor() as cursor:
        scans = []
        for _ in range(5):
            started = time.perf_counter()
            cursor.execute("SELECT count(*) FROM generate_series(1, 1000000)")
            scans.append((time.perf_counter() - started) * 1000)
    return f"machine: 1M-step Python loop {python_ms:.0f} ms, 1M-row SQL count {min(scans):.0f} ms"


# A measurement, not a test: no time limit (at 1M products it runs ~40 minutes).
@pytest.mark.timeout(0)
@pytest.mark.django_db(transaction=True)
def test_bench(settings, tmp_path):
    settings.DEBUG = False
    assert connection.vendor == "postgresql", "the benchmark is about PostgreSQL"
    report = [calibration()]
    # given
    started = time.perf_counter()
    market = seed_market(products=PRODUCTS, factories=FACTORIES, buyers=BUYERS)
    report.append(
        f"seeded {PRODUCTS:,} products / {FACTORIES:,} factories / {BUYERS:,} streamers in {time.perf_counter() - started:.1f} s"
    )
    rebuild("factory")
    rebuild("buyer")
    # when: indexing through the same path as the on-commit task (lock, build, upsert, clear
    # flags): the first half of the products by one worker, the second half by two at once, as
    # Celery runs them (concurrency = CPUs; SKIP LOCKED hands each its own batches).
    dirty = Product.objects.filter(search_index_dirty=True)
    middle = dirty.order_by("pk").values_list("pk", flat=True)[dirty.count() // 2]
    second_half = dirty.filter(pk__gte=middle)
    halves = [(1, dirty.count() - second_half.count()), (2, second_half.count())]
    second_half.update(search_index_dirty=False)  # set aside: dirty again for the second run
    throughputs = {}
    for workers, size in halves:
        if workers == 2:
            Product.objects.filter(pk__gte=middle).update(search_index_dirty=True)
        seconds = index_in_workers(workers)
        throughputs[workers] = size / seconds
        report.append(
            f"indexing, {workers} worker(s): {size:,} products in {seconds:.1f} s"
            f" = {throughputs[workers]:,.0f} products/s"
        )
    assert not Product.objects.filter(search_index_dirty=True).exists()
    # What autovacuum does after a bulk load (visibility map, statistics); needs committed rows,
    # hence a transactional test (its data is flushed at the end).
    with connection.cursor() as cursor:
        for table in (
            "search_productdocument",
            "search_producttext",
            "search_productfilter",
            "search_factorydocument",
            "factories_product",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    # search through the API
    api = Client()
    runs = queries()
    api_search = timed(lambda p: ok(api.get("/api/v1/search/products/", p)), runs)
    ours = timed(backend_search, runs)
    naive = timed(naive_search, runs)
    # 50 samples put p95 on the 4th-slowest request alone; five rounds of the same 50 queries
    # (250 samples) say the same more steadily on a shared machine.
    api_search_rounds = timed(lambda p: ok(api.get("/api/v1/search/products/", p)), runs * 5)
    api_filter_only = timed(lambda p: ok(api.get("/api/v1/search/products/", p)), FILTER_ONLY * 10)
    # matching through the API, 50 streamers
    users = market["users"][:50]

    def match(user):
        api.force_authenticate(user)
        return ok(api.get("/api/v1/matches/products/", {"limit": 20}))

    assert match(users[0]).status_code == 200
    api_match = timed(match, users)
    for label, samples in [
        ("GET search/products (API, 50 queries)", api_search),
        ("  the same, 5 rounds (250 samples)", api_search_rounds),
        ("  without words, sorted by price (50 samples)", api_filter_only),
        ("search backend only (same queries)", ours),
        ("naive icontains (same queries)", naive),
        ("GET matches/products (API, 50 streamers)", api_match),
    ]:
        median, p95 = summary(samples)
        report.append(f"{label:44} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    slowest = sorted(zip(ours, runs, strict=True), key=lambda pair: -pair[0])[:3]
    for seconds_, params in slowest:
        report.append(f"  slow: {seconds_ * 1000:.1f} ms {params}")
    beside, backend_p95, tantivy_p95 = beside_tantivy(runs + BROAD + FILTER_ONLY, str(tmp_path / "tantivy"))
    ratio = backend_p95 / tantivy_p95
    report += beside
    speedup = statistics.median(naive) / statistics.median(ours)
    speedup_p95 = summary(naive)[1] / summary(ours)[1]
    report.append(f"database backend vs naive: {speedup:.1f}× faster (median), {speedup_p95:.1f}× (p95)")
    # The Tantivy backend as the project's backend (issue 16, point 3): the API over it, and the
    # dirty path (database document rows + the one Tantivy writer) with two workers.
    settings.SEARCH_BACKEND = "tantivy"
    settings.SEARCH_TANTIVY_PATH = tmp_path / "tantivy"
    reset_backends()
    tantivy_api = timed(lambda p: ok(api.get("/api/v1/search/products/", p)), (runs + BROAD) * 5)
    tantivy_filter_only = timed(lambda p: ok(api.get("/api/v1/search/products/", p)), FILTER_ONLY * 10)
    Product.objects.filter(pk__gte=middle).update(search_index_dirty=True)
    seconds = index_in_workers(2)
    tantivy_indexing = halves[1][1] / seconds
    for label, samples in [
        ("tantivy: GET search/products (+ broad, 5 rounds)", tantivy_api),
        ("tantivy: without words, by price (50 samples)", tantivy_filter_only),
    ]:
        median, p95 = summary(samples)
        report.append(f"{label:44} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    report.append(
        f"tantivy: indexing, 2 workers: {halves[1][1]:,} products in {seconds:.1f} s"
        f" = {tantivy_indexing:,.0f} products/s"
    )
    large = PRODUCTS >= 1_000_000
    backend_target = 50 if large else 25
    targets = [
        ("search p95 <= 50 ms", summary(api_search)[1] <= 50),
        ("search p95 <= 50 ms (250 samples)", summary(api_search_rounds)[1] <= 50),
        (f"database backend p95 <= {backend_target} ms, broad words too", backend_p95 <= backend_target),
        ("database backend p95 <= 5x tantivy", ratio <= 5),
        (f"tantivy backend p95 <= {backend_target} ms, broad words too", tantivy_p95 <= backend_target),
        ("tantivy: API search p95 <= 40 ms (+ broad words)", summary(tantivy_api)[1] <= 40),
        ("tantivy: indexing >= 4,000 products/s (2 workers)", tantivy_indexing >= 4000),
        *(
            [
                ("API search p95 <= 40 ms (250 samples)", summary(api_search_rounds)[1] <= 40),
                ("API search p95 <= 80 ms (issue 11)", summary(api_search_rounds)[1] <= 80),
                ("without words by price p95 <= 80 ms", summary(api_filter_only)[1] <= 80),
            ]
            if large
            else []
        ),
        ("matching p95 <= 100 ms", summary(api_match)[1] <= 100),
        ("indexing >= 2,000 products/s (1 worker)", throughputs[1] >= 2000),
        ("indexing >= 2,000 products/s (2 workers)", throughputs[2] >= 2000),
        ("indexing >= 4,000 products/s (2 workers)", throughputs[2] >= 4000),
        (">= 10x faster than naive (median)", speedup >= 10),
    ]
    report += [f"target {name}: {'met' if ok else 'MISSED'}" for name, ok in targets]
    report.append(
        "load average during the run: {:.2f} {:.2f} {:.2f} on {} CPUs".format(
            *os.getloadavg(), os.cpu_count()
        )
    )
    print("\n" + "\n".join(report))
    # A benchmark on a shared machine is a measurement, not a pass/fail test: the targets are
    # printed above (every timed request was checked to answer 200).
