from typing import Any

from django.db import models


def model_update(*, instance: models.Model, fields: list[str], data: dict[str, Any]) -> list[str]:
    """Set only whitelisted fields that are present in `data` and actually change.

    Returns the changed field names (many-to-many fields included, set after saving) so the
    caller can record them in the event and decide on side effects (e.g. reindexing).
    """
    changed: list[str] = []
    m2m: dict[str, Any] = {}
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        if field.many_to_many:
            m2m[name] = data[name]
            continue
        if getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        instance.full_clean(exclude=[f.name for f in instance._meta.fields if f.name not in changed])
        update_fields = changed[:]
        if any(f.name == "updated_at" for f in instance._meta.fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    for name, value in m2m.items():
        manager = getattr(instance, name)
        if set(manager.values_list("pk", flat=True)) != {obj.pk for obj in value}:
            manager.set(value)
            changed.append(name)
    return changed
