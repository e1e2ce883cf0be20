"""A real Celery worker (a subprocess on Redis) killed with SIGKILL in the middle of a relay batch
loses nothing and doubles nothing: what it sent stays sent, the row it held goes back to pending
and the next relay run delivers the rest, each e-mail exactly once."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction

from marketplace.celery import app
from marketplace.core.models import OutboxMessage
from marketplace.core.outbox import outbox_relay
from marketplace.core.tasks import outbox_relay_task
from marketplace.notifications.services import notification_create
from tests import makers
from tests.conftest import REDIS_URL
from tests.core.conftest import DEAD_BROKER
from tests.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.async_worker]

QUEUE = "yuantou-tests-outbox-kill"


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """Start `celery worker` on its own queue; yields (process, mailbox folder)."""
    mailbox = tmp_path / "mailbox"
    mailbox.mkdir()
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "tests.core.mailbox.FileMailbox",
        "YUANTOU_TEST_MAILBOX": str(mailbox),
    }

    def start(hang_on: str) -> subprocess.Popen:
        command = [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool=solo"]
        command += ["-Q", QUEUE, "--without-mingle", "--without-gossip", "-l", "warning"]
        return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            command,
            cwd=settings.BASE_DIR,
            env=env | {"YUANTOU_TEST_MAILBOX_HANG": hang_on},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    started = []
    yield (lambda hang_on: started.append(start(hang_on)) or started[-1]), mailbox
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(QUEUE)


def sent_keys(mailbox: Path) -> list[str]:
    return sorted(p.name.removeprefix("sent-").rsplit("-", 1)[0] for p in mailbox.glob("sent-*"))


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(broker, worker):
    # given: five e-mails owed, written while the broker was down (all pending in the outbox)
    start, mailbox = worker
    users = makers.UserMaker.create_batch(5)
    broker(DEAD_BROKER)
    for n, user in enumerate(users):
        with transaction.atomic():
            notification_create(recipient=user, kind="trial.accepted", key=f"trial:{n}:accept", data={})
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 5
    # when: the broker is back, a worker runs the relay and is killed while sending the third
    broker(REDIS_URL)
    process = start(hang_on="trial-2-accept")
    outbox_relay_task.apply_async(queue=QUEUE)
    wait_until(lambda: (mailbox / "sending-trial-2-accept").exists(), timeout=60)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # then: the two it finished are sent and delivered; the one it held is pending again
    assert sent_keys(mailbox) == ["trial-0-accept", "trial-1-accept"]
    wait_until(lambda: OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 3, timeout=10)
    assert outbox_relay() == 3  # the next beat's relay (here: in this process)
    # then: every e-mail went out exactly once, between the killed worker and the relay
    relayed = sorted(m.extra_headers["X-Yuantou-Notification"].replace(":", "-") for m in mail.outbox)
    assert relayed == ["trial-2-accept", "trial-3-accept", "trial-4-accept"]
    assert sorted(sent_keys(mailbox) + relayed) == [f"trial-{n}-accept" for n in range(5)]
    assert outbox_relay() == 0
