"""Migration trials.0008: events and notifications written under a transition's name
("trial.accept") carry its past-tense verb afterwards ("trial.accepted"), so histories and inboxes
read the same before and after; other rows are left alone; reversible."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from tests import makers

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("trials", "0007_shipping_addresses"), ("trials", "0008_past_tense_events")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def test_old_verbs_and_kinds_become_past_tense_and_back():
    # given: rows as the services wrote them before the migration
    user = makers.UserMaker()
    target = {"target_type": ContentType.objects.get_for_model(user), "target_id": user.pk}
    _migrate(BEFORE)
    try:
        old = ["trial.accept", "trial.end", "trial.end_unreported", "bulk.cancel", "bulk.cancel_with_refund"]
        old += ["bulk_order.created", "payment.succeed", "custom.close", "sample.receive"]
        for verb in [*old, "trial.requested", "factory.verified"]:
            Event.objects.create(verb=verb, data={"from": "a", "to": "b"}, **target)
        for n, kind in enumerate(["trial.accept", "payment.refund", "trial.reminder", "custom.offered"]):
            Notification.objects.create(recipient=user, kind=kind, key=f"k{n}", data={})
        # when
        _migrate(AFTER)
        # then
        assert list(Event.objects.order_by("pk").values_list("verb", flat=True)) == [
            "trial.accepted",
            "trial.ended",
            "trial.ended_unreported",
            "bulk.cancelled",
            "bulk.cancelled_with_refund",
            "bulk.created",
            "payment.succeeded",
            "custom.closed",
            "sample.received",
            "trial.requested",
            "factory.verified",
        ]
        assert list(Notification.objects.order_by("key").values_list("kind", flat=True)) == [
            "trial.accepted",
            "payment.refunded",
            "trial.reminder",
            "custom.offered",
        ]
        # and back
        _migrate(BEFORE)
        assert list(Event.objects.order_by("pk").values_list("verb", flat=True)) == [
            *old,
            "trial.requested",
            "factory.verified",
        ]
        assert Notification.objects.get(key="k1").kind == "payment.refund"
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
