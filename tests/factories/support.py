"""Helpers shared by the moderation tests."""

from marketplace.core.models import Event


def verbs():
    return list(Event.objects.order_by("id").values_list("verb", flat=True))


def snapshot(obj):
    """Every column of a row, to show that a refused request changed nothing."""
    return {
        f.attname: getattr(type(obj).objects.get(pk=obj.pk), f.attname) for f in obj._meta.concrete_fields
    }
