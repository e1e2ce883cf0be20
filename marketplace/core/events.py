from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Event


def event_record(*, actor, verb: str, target: models.Model, **data: Any) -> Event:
    """Write one audit row. Call it inside the service's transaction so it commits with the change."""
    return Event.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        data=data,
    )


def events_record(*, actor, verb: str, items: list[tuple[models.Model, dict[str, Any]]]) -> list[Event]:
    """Many audit rows of one verb in one INSERT (batch services, e.g. a catalog import)."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return Event.objects.bulk_create(
        [
            Event(
                actor=actor,
                verb=verb,
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                data=data,
            )
            for target, data in items
        ]
    )


def events_for(target: models.Model):
    return Event.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor")
