"""A real Celery worker keeps its database connection from task to task, as a web process does
from request to request, and replaces one that died. Celery's Django fixup closed it around every
task: one new PostgreSQL backend per e-mail (marketplace/celery.py)."""

import pytest
from django.db import connection

from marketplace.celery import app
from tests.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.async_worker]

backend_pids: list[int] = []


@app.task(name="tests.core.record_backend_pid")
def record_backend_pid() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pids.append(cursor.fetchone()[0])


def _run_one() -> int:
    before = len(backend_pids)
    record_backend_pid.delay()
    wait_until(lambda: len(backend_pids) == before + 1, message="the worker ran nothing")
    return backend_pids[-1]


def test_tasks_reuse_the_workers_connections(live_celery_worker):
    # given / when: eight tasks, one after the other, on a worker of two threads
    backend_pids.clear()
    pids = [_run_one() for _ in range(8)]
    # then: at most one connection per worker thread, not one per task
    assert len(pids) == 8
    assert len(set(pids)) <= 2


def test_a_connection_the_server_closed_is_replaced(live_celery_worker):
    # given: the worker's connections, then the server ends every one of them
    backend_pids.clear()
    before = {_run_one() for _ in range(4)}
    with connection.cursor() as cursor:
        for pid in before:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    # when
    after = _run_one()
    # then: the task ran, on a new connection (the health check found the old one closed)
    assert after not in before
    assert len(backend_pids) == 5
