import pytest

from marketplace.celery import app
from marketplace.core import outbox
from marketplace.core.models import Event

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


def use_broker(url: str | None) -> None:
    """Point publishing at `url` (None: eager, as in `make run`) and drop pooled connections."""
    app.conf.update(broker_url=url or "", task_always_eager=url is None, result_backend=None)
    forget_connections()


def forget_connections() -> None:
    """Drop pooled connections and the queues and routes Celery caches on first publish.

    A worker started later (the `live_celery_worker` fixture) consumes the cached queues: left
    cached from a publish made here, they would name the default queue of that moment, not the
    worker's, and it would never see its tasks.
    """
    app._pool = None
    app.amqp._producer_pool = None
    for cached in ("queues", "router"):
        app.amqp.__dict__.pop(cached, None)
    app.amqp._rtable = None
    outbox.outbox_publish_resume()


@pytest.fixture
def broker():
    """Switch the broker inside a test; the previous configuration is put back afterwards."""
    keys = ("broker_url", "task_always_eager", "result_backend")
    previous = {k: app.conf[k] for k in keys}
    yield use_broker
    app.conf.update(previous)
    forget_connections()


@pytest.fixture
def recorded():
    """A test topic whose handler and publisher record what they were given."""
    seen = {"handled": [], "published": []}

    def handle(payloads):
        (payload,) = payloads  # registered with batch=1
        if payload.get("fail"):
            # A database write of the failing effect: its savepoint must roll it back.
            Event.objects.create(verb="test.probe", target_type_id=1, target_id=payload["n"])
            raise RuntimeError("effect failed")
        seen["handled"].append(payload["n"])

    def publish(messages):
        seen["published"].append([payload["n"] for _id, payload in messages])

    outbox.outbox_register("test.recorded", handle=handle, publish=publish)
    yield seen
    outbox._consumers.pop("test.recorded", None)
