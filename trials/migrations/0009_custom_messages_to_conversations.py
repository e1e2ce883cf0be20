"""The threads of custom requests move onto the conversations app: each CustomRequestMessage becomes
a conversations.Message in the one conversation of its (streamer, factory) pair, about the request
(topic custom_request), with its id, author, body and time. The next migration drops the old table.

Which factory a message belongs to: its `factory` (every message the service wrote has one); for a
row without it, the request's directed factory. A row that has neither belongs to no conversation:
the migration stops rather than lose it.

The migrated history counts as read on both sides (the old threads had no unread state; everybody
was notified of each message when it was written), so no badge lights up for old messages.
Reversible: going back copies the messages about custom requests into the old table.
"""

from django.core.management.color import no_style
from django.db import migrations
from django.db.models import Max


def forward(apps, schema_editor):
    Old = apps.get_model("trials", "CustomRequestMessage")
    Conversation = apps.get_model("conversations", "Conversation")
    Message = apps.get_model("conversations", "Message")
    conversations = {}
    rows = []
    for old in (
        Old.objects.select_related("request", "request__buyer").order_by("id").iterator(chunk_size=2000)
    ):
        factory_id = old.factory_id or old.request.factory_id
        if factory_id is None:
            raise RuntimeError(f"custom request message {old.pk} names no factory; place it by hand first")
        pair = (old.request.buyer_id, factory_id)
        if pair not in conversations:
            buyer_side = old.author_id == old.request.buyer.user_id
            conversations[pair], _ = Conversation.objects.get_or_create(
                buyer_id=pair[0],
                factory_id=pair[1],
                defaults={"started_by": "buyer" if buyer_side else "factory", "created_at": old.created_at},
            )
        rows.append(
            Message(
                id=old.pk,  # partner tools have seen these ids in the messages API
                conversation=conversations[pair],
                author_id=old.author_id,
                side="buyer" if old.author_id == old.request.buyer.user_id else "factory",
                body=old.body,
                topic_kind="custom_request",
                topic_id=old.request_id,
                created_at=old.created_at,
            )
        )
    Message.objects.bulk_create(rows, batch_size=2000)
    for conversation in conversations.values():
        summary = conversation.messages.aggregate(newest=Max("id"), last=Max("created_at"))
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_at=summary["last"],
            buyer_read_upto=summary["newest"],
            factory_read_upto=summary["newest"],
        )
    _reset_sequence(schema_editor, Message)


def backward(apps, schema_editor):
    Old = apps.get_model("trials", "CustomRequestMessage")
    Message = apps.get_model("conversations", "Message")
    # The old column is auto_now_add, which would stamp every row with now; this historical model
    # is private to the migration, so it may keep the messages' own times.
    Old._meta.get_field("created_at").auto_now_add = False
    rows = [
        Old(
            id=m.pk,
            request_id=m.topic_id,
            author_id=m.author_id,
            factory_id=m.conversation.factory_id,
            body=m.body,
            created_at=m.created_at,
        )
        for m in Message.objects.filter(topic_kind="custom_request")
        .select_related("conversation")
        .order_by("id")
    ]
    Old.objects.bulk_create(rows, batch_size=2000)
    Message.objects.filter(topic_kind="custom_request").delete()
    _reset_sequence(schema_editor, Old)


def _reset_sequence(schema_editor, model):
    """Rows were written with explicit ids: move PostgreSQL's sequence past them (a no-op on SQLite)."""
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), [model])
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0008_past_tense_events"),
        ("conversations", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
