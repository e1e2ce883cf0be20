"""Issue 15, point 3: every state change's event holds the statuses as `from` / `to`. The catalog's
verification and review events were recorded with `old` / `new`; rename those keys in the rows
already written (reason and tier stay). Reversible: the reverse puts `old` / `new` back."""

from django.db import migrations

# The state-change verbs of factories/events.py as they stood when this migration was written
# (a migration must not read code that may change after it).
VERBS = [
    "factory.verified",
    "factory.rejected",
    "factory.suspended",
    "factory.resubmitted",
    "product.submitted",
    "product.resubmitted",
    "product.approved",
    "product.rejected",
    "product.delisted",
]
BATCH = 1000


def _rename(apps, old: tuple[str, str], new: tuple[str, str]) -> None:
    Event = apps.get_model("core", "Event")
    changed = []
    for event in Event.objects.filter(verb__in=VERBS).only("id", "data").iterator(chunk_size=BATCH):
        data = dict(event.data or {})
        if old[0] not in data and old[1] not in data:
            continue
        moved = {new[0]: data.pop(old[0], None), new[1]: data.pop(old[1], None)}
        event.data = {**moved, **data}
        changed.append(event)
        if len(changed) >= BATCH:
            Event.objects.bulk_update(changed, ["data"])
            changed = []
    if changed:
        Event.objects.bulk_update(changed, ["data"])


def forwards(apps, schema_editor):
    _rename(apps, ("old", "new"), ("from", "to"))


def backwards(apps, schema_editor):
    _rename(apps, ("from", "to"), ("old", "new"))


class Migration(migrations.Migration):
    dependencies = [
        ("factories", "0008_bulk_order_lifecycle"),
        ("core", "0004_idempotency_key"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
