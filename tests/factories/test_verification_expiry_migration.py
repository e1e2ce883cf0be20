"""Migration factories.0010: a factory verified before verifications expired keeps its verified_at
and gets an expiry a year after it; other factories get none; reversible."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from factories.models import Factory
from tests import makers

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("factories", "0009_state_change_events_from_to")
AFTER = ("factories", "0010_verification_freshness")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def _migrate_latest():
    # Every app back to its latest (factories 0011, the tours that depend on it …), or the next test meets an old schema.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_expiry_runs_from_verified_at():
    # given: rows made with the current models, then the schema taken back before the migration
    verified_at = datetime(2026, 5, 20, 3, 0, tzinfo=UTC)
    verified = makers.FactoryMaker(verification_status="verified")
    pending = makers.FactoryMaker(verification_status="pending")
    never_stamped = makers.FactoryMaker(verification_status="verified")
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE factories_factory SET verified_at = %s WHERE id = %s", [verified_at, verified.pk]
            )
            cursor.execute("UPDATE factories_factory SET verified_at = NULL WHERE id <> %s", [verified.pk])
        # when
        _migrate(AFTER)
    finally:
        _migrate_latest()
    # then
    rows = {f.pk: f for f in Factory.objects.filter(pk__in=[verified.pk, pending.pk, never_stamped.pk])}
    assert rows[verified.pk].verified_at == verified_at
    assert rows[verified.pk].verification_expires_at == verified_at + timedelta(days=365)
    assert rows[verified.pk].verification_checks == []
    assert rows[pending.pk].verification_expires_at is None
    assert rows[never_stamped.pk].verification_expires_at is None
    assert all(f.verification_lapsed_at is None and f.verification_reminded_at is None for f in rows.values())


def test_reversible():
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, "factories_factory")
            ]
        assert "verification_expires_at" not in columns
    finally:
        _migrate_latest()
