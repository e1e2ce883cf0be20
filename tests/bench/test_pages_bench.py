"""`make bench`: server time of the public pages and the inbox on the demo data (`seed_demo`).

Prints min / median / p95 over 15 requests after a warm-up, and the queries of each page, for
anonymous and signed-in visitors. The target is ≤ 150 ms per page on this machine; this prints,
it does not assert (the shared machine's speed varies too much for a timed test).
"""

import os
import statistics
import time
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories.models import Factory, FactoryTier, Product
from factories.selectors import product_public_q
from marketplace.accounts.models import User
from search.indexing import MODELS, index_dirty
from tests.frontend.conftest import Browser

RUNS = 15


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", "--no-images", verbosity=0)
    for kind in MODELS:  # the seed's on-commit indexing never runs inside a test transaction
        index_dirty(kind)


def measure(client, url) -> tuple[float, float, float, float, int]:
    """Wall time (min, median, p95) and this process's CPU time (median): on a shared machine
    the CPU time is the steadier figure of what the page itself costs."""
    client.get(url)
    samples, cpu = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, url
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))]
    return samples[0], statistics.median(samples), p95, statistics.median(cpu), len(ctx)


def test_page_server_times_on_demo_data(demo, capsys):
    product = Product.objects.filter(product_public_q(), factory__tier=FactoryTier.SUPER).first()
    factory = Factory.objects.filter(tier=FactoryTier.SUPER).first()
    streamer = User.objects.get(username="demo_streamer")
    anonymous, signed_in = Browser("zh-hans"), Browser("zh-hans").as_user(streamer)
    pages = [
        ("/", anonymous),
        ("/", signed_in),
        ("/search/", anonymous),
        ("/search/?q=" + quote("面膜"), anonymous),
        (
            "/search/?q=" + quote("收纳") + "&province=" + quote("浙江") + "&price_max=50&sort=price",
            signed_in,
        ),
        ("/search/?category=beauty&trial_eligible=true&page=2", anonymous),
        ("/search/?tab=factories", anonymous),
        (f"/products/{product.pk}/", anonymous),
        (f"/products/{product.pk}/", signed_in),
        (f"/factories/{factory.pk}/", anonymous),
        ("/me/notifications/", signed_in),
    ]
    with capsys.disabled():
        print(f"\npublic pages on the demo data ({Product.objects.count()} products), ms over {RUNS} runs")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'min':>7} {'median':>7} {'p95':>7} {'cpu':>7} {'queries':>7}  page")
        for url, client in pages:
            low, median, p95, cpu, queries = measure(client, url)
            who = "signed-in" if client is signed_in else "anonymous"
            print(f"{low:7.1f} {median:7.1f} {p95:7.1f} {cpu:7.1f} {queries:7d}  {who:9} {url}")
