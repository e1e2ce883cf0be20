"""DRF fields carrying the shared input bounds of marketplace/core/validators.py.

Serializers use these instead of bare CharField/DecimalField/IntegerField so that every title,
handle, price and quantity of the API is bounded the same way as the web forms and the services.
"""

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from marketplace.core.validators import (
    MAX_COUNT,
    MAX_QUANTITY,
    MAX_UNIT_PRICE,
    validate_single_line,
)


class SingleLineField(serializers.CharField):
    """One line of text: no CR/LF or other control characters (NUL is refused by DRF's CharField too)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate_single_line)


def price_field(**kwargs: Any) -> serializers.DecimalField:
    """A unit price in CNY: two places, at least ¥0.01, at most MAX_UNIT_PRICE (fits numeric(12,2))."""
    kwargs.setdefault("min_value", Decimal("0.01"))
    return serializers.DecimalField(max_digits=12, decimal_places=2, max_value=MAX_UNIT_PRICE, **kwargs)


def quantity_field(**kwargs: Any) -> serializers.IntegerField:
    kwargs.setdefault("min_value", 1)
    kwargs.setdefault("max_value", MAX_QUANTITY)
    return serializers.IntegerField(**kwargs)


def count_field(**kwargs: Any) -> serializers.IntegerField:
    """Headcounts, capacities, followers: never past the 32-bit integer column."""
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", MAX_COUNT)
    return serializers.IntegerField(**kwargs)
