"""Output serializers that build their fields once per class, not once per response.

DRF's ModelSerializer works out its fields from the model (types, labels, choices, validators) each
time one is created, which is most of the CPU of answering a small write: a trial's create and
cancel spent more time there than in their own service code (issue 11). An output serializer's
fields never depend on the instance or the request, so the first set is kept and each new
serializer gets a copy of it (DRF copies declared fields; plain fields are copied shallowly here).
"""

import copy
from typing import ClassVar

from rest_framework import serializers


class OutputModelSerializer(serializers.ModelSerializer):
    """A read-only ModelSerializer whose fields are built once per class. Not for input: a
    serializer that validates may depend on context (unique-together validators, querysets)."""

    _built_fields: ClassVar[dict[str, serializers.Field]]  # set on each subclass by its first get_fields

    def get_fields(self) -> dict[str, serializers.Field]:
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            cls._built_fields = built  # one class attribute each subclass sets for itself
        return {name: _unbound_copy(field) for name, field in built.items()}


def _unbound_copy(field: serializers.Field) -> serializers.Field:
    """A copy this serializer may bind. A plain field is copied shallowly: bind() and
    to_representation() only set the copy's own attributes (its name, parent, source), and its
    options are never changed. A deep copy rebuilt each field from its arguments, ~30 of them per
    trial answered: a tenth of a trial create's CPU. A relation or a nested serializer holds
    objects of its own bound to it (a child relation, its fields): deep copied, as DRF does."""
    if isinstance(
        field, serializers.BaseSerializer | serializers.RelatedField | serializers.ManyRelatedField
    ):
        return copy.deepcopy(field)
    return copy.copy(field)
