import importlib
import os
import shutil
import tempfile
import time

import psycopg
import pytest
from celery.signals import task_postrun
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from tests import makers

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(autouse=True)
def _isolated_media(settings):
    """Every test writes uploads into its own temporary folder."""
    path = tempfile.mkdtemp(prefix="yuantou-media-")
    settings.MEDIA_ROOT = path
    settings.PRIVATE_MEDIA_ROOT = os.path.join(path, "private")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.25 s per user; tests create hundreds of users and never test hash strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _webhook_first_attempts_inline(settings):
    """With eager tasks a webhook's first attempt runs on a thread (make run's way, tested in
    tests/partners/test_webhook_eager.py); a thread cannot read the rows of a test's transaction,
    which never commits, so tests run it inline, where they can assert on it."""
    settings.WEBHOOK_EAGER_IN_THREAD = False


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put the migration-seeded categories and industrial belts back for transactional tests.

    A `transaction=True` test ends with a flush that empties every table, including the rows our
    data migration seeded; later transactional tests would then find no categories.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server", "live_celery_worker")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    importlib.import_module("factories.migrations.0002_seed_taxonomy").seed(apps, None)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Tests assert exact English messages; the site's default language is zh-hans.

    Requests still choose their language from Accept-Language (see the `api_zh` fixture).
    """
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_sign_in_failures_carried_over():
    """Failed sign-ins are counted in the cache (django-axes): each test starts with none.

    Only the local-memory cache of the test settings is cleared, never a shared Redis.
    """
    from django.core.cache import cache
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(cache, LocMemCache) or isinstance(getattr(cache, "_cache", None), dict):
        cache.clear()


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class Client(APIClient):
    """An API client that speaks English by default (tests assert exact messages)."""

    def __init__(self, *args, language="en", **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults["HTTP_ACCEPT_LANGUAGE"] = language

    def as_user(self, user):
        if user is None:
            self.credentials()
        else:
            self.credentials(HTTP_AUTHORIZATION=f"Token {makers.token_for(user)}")
        return self


@pytest.fixture
def api():
    return Client()


@pytest.fixture
def api_zh():
    return Client(language="zh-hans")


@pytest.fixture
def staff(db):
    return makers.StaffUserMaker()


@pytest.fixture
def factory_user(db):
    return makers.FactoryUserMaker()


@pytest.fixture
def buyer_user(db):
    return makers.UserMaker()


def _wait_until_idle(app, queue: str, timeout: float = 30.0) -> None:
    """Let the worker finish what the test's commits queued (search indexing, e-mails) before the
    test database is flushed: a task still inside a transaction then deadlocked the TRUNCATE."""
    from celery.worker import state

    deadline = time.monotonic() + timeout
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        while time.monotonic() < deadline:
            if not client.llen(queue) and not state.active_requests and not state.reserved_requests:
                return
            time.sleep(0.05)


@pytest.fixture
def live_celery_worker(transactional_db, settings):
    """A real Celery worker (threads) consuming from Redis, for the async paths.

    Tests using it must be `transaction=True` (the worker reads committed rows on its own
    connections). The broker queue is purged first so leftovers of another run never leak in.
    """
    from celery.contrib.testing.worker import start_worker

    from marketplace.celery import app

    keys = ("broker_url", "task_always_eager", "result_backend", "task_default_queue")
    previous = {k: app.conf[k] for k in keys}
    app.conf.update(
        broker_url=REDIS_URL,
        task_always_eager=False,
        result_backend=None,
        task_default_queue="yuantou-tests",
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Even eager tasks acquire a producer (Celery 5.3+), so an earlier test may have opened the
    # pool on the default broker; drop it so publishing goes to Redis.
    app._pool = None
    app.amqp._producer_pool = None
    app.control.purge()
    # The worker's threads keep their database connections from task to task (marketplace/celery.py),
    # and a thread that ends does not close its own: note each one, end them when the worker stops
    # (else they outlive the test and the test database cannot be dropped).
    worker_backends: set[int] = set()

    def remember_backend(**kwargs):
        if connection.vendor == "postgresql" and connection.connection is not None:
            worker_backends.add(connection.connection.info.backend_pid)

    task_postrun.connect(remember_backend, weak=False)
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=30):
        yield app
        _wait_until_idle(app, "yuantou-tests")
    task_postrun.disconnect(remember_backend)
    with connection.cursor() as cursor:
        for pid in worker_backends:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    app.conf.update(previous)
    app._pool = None
    app.amqp._producer_pool = None


# A test that times out waiting on PostgreSQL (it happened twice in CI: a row lock held by some
# other session) says who was in the database at that moment: each session's state, what it
# waits on, which sessions block it, and its query.
_SESSIONS_SQL = """
SELECT pid, state, wait_event_type, wait_event, pg_blocking_pids(pid), now() - xact_start, left(query, 300)
FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY pid
"""


def _database_sessions() -> str:
    params = connection.settings_dict
    try:
        with psycopg.connect(
            host=params["HOST"] or None,
            port=params["PORT"] or None,
            user=params["USER"] or None,
            password=params["PASSWORD"] or None,
            dbname=params["NAME"],
            connect_timeout=5,
        ) as conn:
            rows = conn.execute(_SESSIONS_SQL).fetchall()
    except psycopg.Error as error:
        return f"could not read pg_stat_activity: {error}"
    return "\n".join(" | ".join(str(value) for value in row) for row in rows) or "no other session"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    timed_out = call.excinfo is not None and "Timeout" in str(call.excinfo.value)
    if report.failed and timed_out and connection.vendor == "postgresql":
        report.sections.append(("PostgreSQL sessions at the timeout", _database_sessions()))
