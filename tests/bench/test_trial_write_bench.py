"""`make bench`: the CPU of the load run's busiest write, a trial's create and cancel (issue 11).

The pair is 15% of the load mix and was two thirds of the machine's CPU. This prints, per request,
the median CPU time of this process (time.process_time: on a shared machine the steadier figure,
wall time would measure the neighbours) and the queries, for POST trials/ and POST
trials/{id}/cancel/ answered through the whole middleware stack with a token, as locust sends
them; then the worker's side: the CPU and queries of each notification e-mail task they caused.

As in `make serve`: the requests commit (a transactional test), and their outbox rows are
published to Redis after the commit, into a queue no worker reads (purged afterwards); the
e-mail tasks are then run here, one by one, on those rows. Figures, not asserts.
"""

import os
import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.celery import app
from marketplace.core.models import OutboxMessage
from marketplace.notifications.models import Notification
from marketplace.notifications.services import EMAIL_TOPIC
from marketplace.notifications.tasks import notification_email_send
from tests import makers
from tests.conftest import REDIS_URL, Client
from tests.core.conftest import forget_connections, use_broker

pytestmark = pytest.mark.django_db(transaction=True)
RUNS = 100
WARM_UP = 10
QUEUE = "yuantou-bench-trials"


def _measure(call) -> tuple[float, int, object]:
    with CaptureQueriesContext(connection) as queries:
        started = time.process_time()
        result = call()
        cpu = (time.process_time() - started) * 1000
    return cpu, len(queries), result


def _line(label: str, cpu: list[float], queries: list[int]) -> str:
    cpu = sorted(cpu)
    p90 = cpu[int(0.9 * (len(cpu) - 1))]
    return f"{label:<38}{cpu[0]:8.2f}{statistics.median(cpu):8.2f}{p90:8.2f}{statistics.median(queries):9.0f}"


def test_trial_create_and_cancel_cpu(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    products = [makers.ProductMaker() for _ in range(3)]
    buyer = makers.BuyerMaker()
    api = Client()
    api.as_user(buyer.user)
    try:
        use_broker(REDIS_URL)
        app.conf.task_default_queue = QUEUE
        figures: dict[str, tuple[list[float], list[int]]] = {"create": ([], []), "cancel": ([], [])}
        for n in range(WARM_UP + RUNS):
            product = products[n % len(products)]
            body = {"product": product.pk, "quantity": 1}
            create = _measure(lambda: api.post("/api/v1/trials/", body))  # noqa: B023 (called at once)
            created = create[2]
            assert created.status_code == 201, created.content
            url = f"/api/v1/trials/{created.json()['id']}/cancel/"
            cancel = _measure(lambda: api.post(url))  # noqa: B023 (called at once)
            assert cancel[2].status_code == 200, cancel[2].content
            if n >= WARM_UP:
                for name, (cpu, queries, _response) in (("create", create), ("cancel", cancel)):
                    figures[name][0].append(cpu)
                    figures[name][1].append(queries)
        # The worker's side: each e-mail task on the rows the requests committed.
        tasks: dict[str, tuple[list[float], list[int]]] = {}
        pending = OutboxMessage.objects.filter(topic=EMAIL_TOPIC, delivered_at__isnull=True).order_by("pk")
        kinds = dict(Notification.objects.values_list("pk", "kind"))
        for message in list(pending)[2 * WARM_UP :]:
            notification_id = message.payload["notification_id"]
            cpu, queries, sent = _measure(
                lambda: notification_email_send(notification_id, outbox_id=message.pk)  # noqa: B023
            )
            assert sent is True
            figures_of_kind = tasks.setdefault(f"e-mail task, {kinds[notification_id]}", ([], []))
            figures_of_kind[0].append(cpu)
            figures_of_kind[1].append(queries)
    finally:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(QUEUE)
        app.conf.update(previous)
        forget_connections()
    print(f"\ntrial create + cancel, {RUNS} of each after {WARM_UP} warm-up pairs: CPU ms of this process")
    # The minimum is the steadiest figure when the machine is busy: other processes only add to it.
    print(f"{'':<38}{'min':>8}{'median':>8}{'p90':>8}{'queries':>9}")
    print(_line("web: POST trials/", *figures["create"]))
    print(_line("web: POST trials/{id}/cancel/", *figures["cancel"]))
    for label, (cpu, queries) in sorted(tasks.items()):
        print(_line(f"worker: {label}", cpu, queries))
    every = (*figures.values(), *tasks.values())
    pair = [sum(min(cpu) for cpu, _queries in every), sum(statistics.median(cpu) for cpu, _queries in every)]
    print(f"{'the pair, web + worker':<38}{pair[0]:8.2f}{pair[1]:8.2f}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
