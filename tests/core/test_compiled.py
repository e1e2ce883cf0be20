"""A query compiled once (marketplace/core/compiled.py) answers what the ORM's queryset answers:
the same rows, their select_related objects filled in (present or missing), converted values,
the model's DoesNotExist, and the same refusals."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from marketplace.core.compiled import CompiledQuery
from marketplace.notifications.models import Notification
from tests import makers
from trials.models import TrialOrder
from trials.services import trials

pytestmark = pytest.mark.django_db

TOKEN = CompiledQuery(
    lambda key: Token.objects.select_related("user__buyer_profile", "user__factory").filter(key=key),
    "test-marker-key",
)
LOCK = CompiledQuery(
    lambda pk: (
        TrialOrder.objects.select_for_update(of=("self",))
        .select_related("buyer__user", "factory__owner", "product", "bulk_order")
        .filter(pk=pk)
    ),
    -1,
)


def test_the_rows_and_their_related_objects_are_the_orms():
    # given: a streamer's token and a factory owner's
    buyer, owner = makers.BuyerMaker(), makers.FactoryMaker().owner
    keys = [makers.token_for(buyer.user), makers.token_for(owner)]
    for key in keys:
        expected = Token.objects.select_related("user__buyer_profile", "user__factory").get(key=key)
        # when
        token = TOKEN.get(key)
        # then: every field of every row alike, and the relations read with it cost no query
        with CaptureQueriesContext(connection) as queries:
            user = token.user
            profile = getattr(user, "buyer_profile", None)
            factory = getattr(user, "factory", None)
        assert len(queries) == 0
        assert (token.pk, token.created, user.pk) == (expected.pk, expected.created, expected.user.pk)
        assert user.__dict__.keys() >= {"username", "email", "role", "is_active"}
        assert (user.username, user.email, user.role) == (
            expected.user.username,
            expected.user.email,
            expected.user.role,
        )
        assert (profile and profile.pk, factory and factory.pk) == (
            (buyer.pk, None) if key == keys[0] else (None, owner.factory.pk)
        )


def test_values_are_converted_and_locks_taken_as_the_orms():
    # given
    product, buyer = makers.ProductMaker(), makers.BuyerMaker()
    trial = trials.trial_create(actor=buyer.user, product_id=product.pk, quantity=3)
    notice = Notification.objects.get(key=f"trial:{trial.pk}:requested")
    notices = CompiledQuery(lambda pk: Notification.objects.filter(pk=pk), -1)
    # when
    with transaction.atomic():
        locked = LOCK.get(trial.pk)
    # then: decimals, JSON, the joined rows, the missing bulk order known missing without a query
    assert (locked.total, locked.shipping_address) == (Decimal("18.54"), trial.shipping_address)
    assert (locked.buyer.user.pk, locked.factory.owner.pk, locked.product.pk) == (
        buyer.user.pk,
        product.factory.owner.pk,
        product.pk,
    )
    with CaptureQueriesContext(connection) as queries:
        assert getattr(locked, "bulk_order", None) is None
    assert len(queries) == 0
    assert notices.get(notice.pk).data == notice.data and isinstance(notice.data, dict)


def test_each_call_runs_the_sql_compiled_once_with_its_own_values():
    a, b = makers.BuyerMaker(), makers.BuyerMaker()
    key_a, key_b = makers.token_for(a.user), makers.token_for(b.user)
    users = CompiledQuery(lambda key: Token.objects.filter(key=key), "test-marker-other")
    with CaptureQueriesContext(connection) as queries:
        found = [users.get(key_a).user_id, users.get(key_b).user_id, users.first("no-such-key")]
    assert found == [a.user.pk, b.user.pk, None]
    assert [q["sql"].count(key_a) + q["sql"].count(key_b) for q in queries.captured_queries] == [1, 1, 0]
    assert len(users._compiled) == 1


def test_a_missing_row_is_the_models_does_not_exist_and_an_impossible_key_asks_nothing():
    with pytest.raises(Token.DoesNotExist, match=r"Token matching query does not exist\."):
        TOKEN.get("0" * 40)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        assert LOCK.all(2**63) == []
    assert len(queries) == 2  # the savepoint and its release: no SELECT with a key beyond bigint


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused_as_the_orm_refuses_it():
    with pytest.raises(TransactionManagementError, match="select_for_update cannot be used outside"):
        LOCK.get(1)


def test_a_marker_the_query_does_not_carry_once_is_refused():
    lost = CompiledQuery(lambda key: Token.objects.filter(user__username="x"), "test-marker-lost")
    with pytest.raises(ImproperlyConfigured, match="is 0 times"):
        lost.all("abc")
    with pytest.raises(ImproperlyConfigured, match="ints or strs"):
        CompiledQuery(lambda when: Token.objects.filter(created=when), 1.5)  # type: ignore[arg-type]
