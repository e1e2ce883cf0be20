"""Migrations trials.0009/0010: the custom-request threads move onto conversations. Every message
keeps its id, author, body and time, lands in the conversation of its (streamer, factory) pair about
its request, and each factory still reads only its own thread; reversible."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from tests import makers

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("trials", "0008_past_tense_events"), ("conversations", "0001_initial")]
# With conversations' later migrations too: the test deletes a Message through the current model,
# whose delete cascades to tables they add (reports).
AFTER = [("trials", "0010_custom_messages_moved"), ("conversations", "0002_reports")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_every_message_moves_with_author_time_and_visibility_and_back():
    # given: two factories answering one open request, one directed request, as the old service wrote them
    buyer = makers.BuyerMaker()
    a, b = makers.FactoryMaker(customization="odm"), makers.FactoryMaker(customization="odm")
    old_apps = _migrate(BEFORE)
    try:
        CustomRequest = old_apps.get_model("trials", "CustomRequest")
        Old = old_apps.get_model("trials", "CustomRequestMessage")
        deadline = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
        open_request = CustomRequest.objects.create(
            buyer_id=buyer.pk, title="面膜", requirements="20 条装", quantity=5000, deadline=deadline
        )
        directed = CustomRequest.objects.create(
            buyer_id=buyer.pk,
            factory_id=a.pk,
            title="睡眠面膜",
            requirements="定制",
            quantity=3000,
            deadline=deadline,
        )
        t0 = dt.datetime(2026, 11, 2, 8, 30, tzinfo=dt.UTC)
        rows = [
            (open_request, a.owner_id, a.pk, "可以做 20 条装"),
            (open_request, buyer.user_id, a.pk, "样品多久?\n第二行"),
            (open_request, b.owner_id, b.pk, "我们也能做"),
            (directed, buyer.user_id, None, "直接问你们"),  # a row without factory: the directed one
            (directed, a.owner_id, a.pk, "好的"),
        ]
        for request, author_id, factory_id, body in rows:
            Old.objects.create(request_id=request.pk, author_id=author_id, factory_id=factory_id, body=body)
        # created_at is auto_now_add: set the times afterwards
        for n, old in enumerate(Old.objects.order_by("id")):
            Old.objects.filter(pk=old.pk).update(created_at=t0 + dt.timedelta(minutes=n))
        before = list(
            Old.objects.order_by("id").values("id", "request_id", "author_id", "body", "created_at")
        )

        # when
        _migrate(AFTER)

        # then
        from conversations.models import Conversation, Message
        from trials.models import CustomRequest as Request
        from trials.selectors import messages_for

        moved = Message.objects.order_by("id").values(
            "id", "author_id", "body", "created_at", request_id=F("topic_id")
        )
        assert list(moved) == before
        assert set(Message.objects.values_list("topic_kind", flat=True)) == {"custom_request"}
        pairs = dict(Conversation.objects.values_list("factory_id", "buyer_id"))
        assert pairs == {a.pk: buyer.pk, b.pk: buyer.pk}  # one conversation per pair, not per request
        assert list(Message.objects.order_by("id").values_list("conversation__factory_id", "side")) == [
            (a.pk, "factory"),
            (a.pk, "buyer"),
            (b.pk, "factory"),
            (a.pk, "buyer"),
            (a.pk, "factory"),
        ]
        # the factory-visibility rule: each factory reads its own thread, the streamer all of them
        req = Request.objects.get(pk=open_request.pk)
        assert [m.body for m in messages_for(request=req, user=a.owner)] == [
            "可以做 20 条装",
            "样品多久?\n第二行",
        ]
        assert [m.body for m in messages_for(request=req, user=b.owner)] == ["我们也能做"]
        assert len(messages_for(request=req, user=buyer.user)) == 3
        # history reads as read; the sequence continues after the copied ids
        newest = Message.objects.order_by("-id").values_list("id", flat=True).first()
        conv_a = Conversation.objects.get(factory=a)
        assert (conv_a.buyer_read_upto, conv_a.factory_read_upto) == (newest, newest)
        assert conv_a.last_message_at == t0 + dt.timedelta(minutes=4)
        new = Message.objects.create(conversation=conv_a, author_id=buyer.user_id, side="buyer", body="新的")
        assert new.pk > newest

        # and back: the old table holds the same rows again
        new.delete()
        old_apps = _migrate(BEFORE)
        Old = old_apps.get_model("trials", "CustomRequestMessage")
        back = list(Old.objects.order_by("id").values("id", "request_id", "author_id", "body", "created_at"))
        assert back == before
        assert list(Old.objects.order_by("id").values_list("factory_id", flat=True)) == [
            a.pk,
            a.pk,
            b.pk,
            a.pk,
            a.pk,
        ]
    finally:
        # Back to the latest state of every app, whatever migrations were added since.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
