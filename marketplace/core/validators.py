"""Bounds on what people type, in one place for the API, the web forms, the admin and the services.

Plain Django validators (callables raising ValidationError), so a DRF serializer field, a form field
and a service all use the same rule and message. marketplace/api/fields.py wraps them as DRF fields.
"""

import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Line and paragraph separators end a line as CR/LF do (in an e-mail header, a CSV, a log line).
_LINE_BREAKING = {"\u2028", "\u2029", "\x85"}

MAX_ATTRIBUTES = 30
MAX_ATTRIBUTE_KEY = 40
MAX_ATTRIBUTE_VALUE = 200
MAX_ATTRIBUTE_LIST = 20
EMAIL_MAX_LENGTH = 254  # RFC 5321's path limit; Django's EmailField default too

# Money and quantity bounds that fit the columns (numeric(12,2) prices, numeric(14,2) totals,
# 32-bit integers), chosen so that every product we store — unit × quantity — fits as well.
MAX_UNIT_PRICE = Decimal("9999999.99")
MAX_ORDER_TOTAL = Decimal("999999999999.99")
MAX_QUANTITY = 100_000_000
MAX_COUNT = 2_000_000_000  # headcounts, capacities, followers: below PostgreSQL's integer limit


def is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or char in _LINE_BREAKING


def validate_no_nul(value: object) -> None:
    """PostgreSQL text cannot hold NUL; refused as input rather than failing inside a save."""
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError(_("Text may not contain NUL characters."), code="null_characters_not_allowed")


def validate_single_line(value: object) -> None:
    """Titles, names, handles, carriers, tracking numbers: one line, no control characters.

    A CR/LF in a name would end an e-mail header or split a CSV row; tabs and escapes garble lists.
    """
    if isinstance(value, str) and any(is_control(c) for c in value):
        raise ValidationError(
            _("Use a single line of text without line breaks or control characters."), code="single_line"
        )


def require_single_line(data: dict, fields: tuple[str, ...]) -> None:
    """The single-line rule inside a service, so the API, the web forms and the admin all meet it."""
    errors = {}
    for field in fields:
        try:
            validate_single_line(data.get(field))
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)


def single_line(text: str, *, limit: int = 200) -> str:
    """`text` made safe for a header or subject: control characters become spaces, length bounded."""
    cleaned = "".join(" " if is_control(c) else c for c in str(text))
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def validate_attributes(value: object) -> None:
    """A product's attributes: at most 30 name → value pairs; names ≤ 40 and values ≤ 200 characters.

    A value is text, a number, true/false or a short list of texts/numbers, as the listing form shows them.
    """
    if not isinstance(value, dict):
        raise ValidationError(_("Attributes must be an object of name: value pairs."), code="invalid")
    if len(value) > MAX_ATTRIBUTES:
        raise ValidationError(
            _("At most %(n)d attributes."), params={"n": MAX_ATTRIBUTES}, code="too_many_attributes"
        )
    for key, item in value.items():
        name = str(key)
        if not name.strip() or len(name) > MAX_ATTRIBUTE_KEY or any(is_control(c) for c in name):
            raise ValidationError(
                _("Attribute names are one line of 1 to %(n)d characters."),
                params={"n": MAX_ATTRIBUTE_KEY},
                code="attribute_name",
            )
        items = item if isinstance(item, list) else [item]
        if isinstance(item, list) and len(item) > MAX_ATTRIBUTE_LIST:
            raise ValidationError(
                _("Attribute %(key)s has more than %(n)d values."),
                params={"key": name, "n": MAX_ATTRIBUTE_LIST},
                code="attribute_list",
            )
        for part in items:
            nested_bool = isinstance(part, bool) and part is not item  # true/false inside a list
            if nested_bool or not isinstance(part, str | int | float | bool):
                raise ValidationError(
                    _("Attribute %(key)s must be text, a number or a list of them."),
                    params={"key": name},
                    code="attribute_type",
                )
            text = str(part)
            if len(text) > MAX_ATTRIBUTE_VALUE or any(is_control(c) for c in text):
                raise ValidationError(
                    _("Attribute %(key)s: a value is one line of at most %(n)d characters."),
                    params={"key": name, "n": MAX_ATTRIBUTE_VALUE},
                    code="attribute_value",
                )


def validate_order_total(total: Decimal) -> None:
    """unit price × quantity must fit the total columns (numeric(14,2)): refused, never overflowed."""
    if total > MAX_ORDER_TOTAL:
        raise ValidationError(
            _("The total of ¥%(total)s is over the limit of ¥%(limit)s for one order; order fewer units."),
            params={"total": f"{total:,.2f}", "limit": f"{MAX_ORDER_TOTAL:,.2f}"},
            code="total_too_large",
        )
