"""Output serializers that build their fields once per class, not once per response.

DRF's ModelSerializer works out its fields from the model (types, labels, choices, validators) each
time one is created, which is most of the CPU of answering a small write: a trial's create and
cancel spent more time there than in their own service code (issue 11). An output serializer's
fields never depend on the instance or the request, so the first set is kept and each new
serializer gets a copy of it (DRF copies declared fields the same way).
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
        return copy.deepcopy(built)
