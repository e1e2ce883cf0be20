"""Migration factories.0009: the catalog's state-change events written with `old` / `new` hold
`from` / `to` afterwards, like every other state change; other events are left alone; reversible."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from factories.models import Factory, Product
from marketplace.core.models import Event
from tests import makers

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("factories", "0008_bulk_order_lifecycle"), ("factories", "0009_state_change_events_from_to")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def _event(verb, target, data):
    return Event.objects.create(
        verb=verb, target_type=ContentType.objects.get_for_model(target), target_id=target.pk, data=data
    )


def test_old_state_change_events_get_from_and_to_and_back():
    # given: rows as the services wrote them before the migration
    product = makers.ProductMaker()
    factory = product.factory
    _migrate(BEFORE)
    try:
        verified = _event(
            "factory.verified", factory, {"old": "pending", "new": "verified", "reason": "", "tier": "super"}
        )
        rejected = _event(
            "product.rejected", product, {"old": "pending_review", "new": "rejected", "reason": "图片模糊"}
        )
        updated = _event("product.updated", product, {"fields": ["title"]})
        trial_like = _event(
            "product.approved", product, {"from": "pending_review", "to": "active", "reason": ""}
        )
        # when
        _migrate(AFTER)
        # then
        data = lambda e: Event.objects.get(pk=e.pk).data  # noqa: E731
        assert data(verified) == {"from": "pending", "to": "verified", "reason": "", "tier": "super"}
        assert data(rejected) == {"from": "pending_review", "to": "rejected", "reason": "图片模糊"}
        assert data(updated) == {"fields": ["title"]}
        assert data(trial_like) == {"from": "pending_review", "to": "active", "reason": ""}
        # and back
        _migrate(BEFORE)
        assert data(verified) == {"old": "pending", "new": "verified", "reason": "", "tier": "super"}
        assert data(updated) == {"fields": ["title"]}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Factory.objects.filter(pk=factory.pk).exists() and Product.objects.filter(pk=product.pk).exists()
