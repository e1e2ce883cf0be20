"""Issue 15, point 3: one tense. The trials flows recorded each state change under its transition's
name ("trial.accept"); every event is now past tense ("trial.accepted", trials/events.py), and
the bulk order's creation joins its other events under "bulk.". The events already written and
the notifications already sent (their kind is their event's verb, which picks their text) are
renamed so that histories and inboxes read the same before and after. Reversible."""

from django.db import migrations

# The verbs as they stood when this migration was written (a migration must not read code that
# may change after it): old → new.
RENAME = {
    "trial.accept": "trial.accepted",
    "trial.decline": "trial.declined",
    "trial.cancel": "trial.cancelled",
    "trial.expire": "trial.expired",
    "trial.mark_paid": "trial.paid",
    "trial.ship": "trial.shipped",
    "trial.receive": "trial.received",
    "trial.feedback": "trial.feedback_submitted",
    "trial.convert": "trial.converted",
    "trial.end": "trial.ended",
    "trial.end_unreported": "trial.ended_unreported",
    "sample.accept": "sample.accepted",
    "sample.decline": "sample.declined",
    "sample.cancel": "sample.cancelled",
    "sample.expire": "sample.expired",
    "sample.ship": "sample.shipped",
    "sample.receive": "sample.received",
    "custom.close": "custom.closed",
    "custom.accept": "custom.accepted",
    "custom.cancel": "custom.cancelled",
    "bulk_order.created": "bulk.created",
    "bulk.confirm": "bulk.confirmed",
    "bulk.decline": "bulk.declined",
    "bulk.mark_deposit_paid": "bulk.deposit_paid",
    "bulk.cancel": "bulk.cancelled",
    "bulk.lapse": "bulk.lapsed",
    "bulk.start_production": "bulk.production_started",
    "bulk.ship": "bulk.shipped",
    "bulk.receive": "bulk.received",
    "bulk.mark_balance_paid": "bulk.balance_paid",
    "bulk.complete": "bulk.completed",
    "bulk.dispute": "bulk.disputed",
    "bulk.resume": "bulk.resumed",
    "bulk.cancel_with_refund": "bulk.cancelled_with_refund",
    "payment.process": "payment.processing_started",
    "payment.fail": "payment.failed",
    "payment.succeed": "payment.succeeded",
    "payment.cancel": "payment.cancelled",
    "payment.refund": "payment.refunded",
}


def _rename(apps, mapping: dict[str, str]) -> None:
    Event = apps.get_model("core", "Event")
    Notification = apps.get_model("notifications", "Notification")
    for old, new in mapping.items():
        Event.objects.filter(verb=old).update(verb=new)
        Notification.objects.filter(kind=old).update(kind=new)


def forwards(apps, schema_editor):
    _rename(apps, RENAME)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAME.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0007_shipping_addresses"),
        ("core", "0004_idempotency_key"),
        ("notifications", "0002_field_labels"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
