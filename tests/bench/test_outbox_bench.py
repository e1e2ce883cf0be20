"""`make bench`: what a write costs when the broker is down, next to a write with it up.

Prints the median and p95 of 40 product edits (PATCH products/{id}/, which commits an outbox row
and publishes it after the commit) with: eager tasks (no broker), Redis up (publish only, no
worker), Redis refusing connections, a broker that accepts and hangs up, and a refusing one with
the pause after a failure switched off. The outbox keeps the broken cases no slower than the
second: one attempt, no retries, then a pause.
"""

import socket
import statistics
import threading
import time

import pytest

from marketplace.celery import app
from marketplace.core import outbox
from tests import makers
from tests.conftest import REDIS_URL, Client
from tests.core.conftest import DEAD_BROKER, forget_connections, use_broker

pytestmark = pytest.mark.django_db(transaction=True)
EDITS = 40


def _hang_up_server() -> socket.socket:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)

    def run():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.close()

    threading.Thread(target=run, daemon=True).start()
    return server


def _edits(api, product) -> list[float]:
    timings = []
    for n in range(EDITS):
        started = time.perf_counter()
        response = api.patch(f"/api/v1/products/{product.pk}/", {"moq": 100 + n})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings


def test_write_latency_with_the_broker_down(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    product = makers.ProductMaker()
    api = Client().as_user(product.factory.owner)
    hang_up = _hang_up_server()
    previous = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    app.conf.task_default_queue = "yuantou-bench-outbox"
    cases = [
        ("eager, no broker", None),
        ("Redis up (publish)", REDIS_URL),
        ("broker refusing", DEAD_BROKER),
        ("broker hanging up", f"redis://127.0.0.1:{hang_up.getsockname()[1]}/0"),
        ("refusing, no pause", DEAD_BROKER),  # every write pays its one publish attempt
    ]
    pause = outbox.PUBLISH_PAUSE_SECONDS
    try:
        for name, url in cases:
            use_broker(url)
            outbox.PUBLISH_PAUSE_SECONDS = 0.0 if "no pause" in name else pause
            timings = sorted(_edits(api, product))
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(
                f"\nPATCH product, {name:<20} median {statistics.median(timings):6.1f} ms  p95 {p95:6.1f} ms"
            )
    finally:
        use_broker(REDIS_URL)
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("yuantou-bench-outbox")
        app.conf.update(previous)
        forget_connections()
        hang_up.close()
        outbox.PUBLISH_PAUSE_SECONDS = pause


def test_relay_throughput_after_an_outage(settings):
    """Rows per second one relay run delivers: 300 e-mails (locmem) and 300 product reindexes."""
    from django.core import mail
    from django.db import transaction

    from marketplace.core.dirty import mark_dirty
    from marketplace.core.outbox import outbox_relay
    from marketplace.notifications.services import notification_create

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    users = makers.UserMaker.create_batch(30)
    products = makers.ProductMaker.create_batch(30)
    try:
        use_broker(DEAD_BROKER)
        for n in range(300):
            with transaction.atomic():
                notification_create(recipient=users[n % 30], kind="trial.accepted", key=f"bench:{n}", data={})
                mark_dirty(products[n % 30])
        started = time.perf_counter()
        delivered = outbox_relay()
        seconds = time.perf_counter() - started
    finally:
        app.conf.update(previous)
        forget_connections()
    assert delivered == 600
    assert len(mail.outbox) == 300
    print(f"\nrelay: {delivered} rows in {seconds:.2f} s = {delivered / seconds:.0f} rows/s")
