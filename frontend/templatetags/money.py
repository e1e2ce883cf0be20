"""{{ amount|cny }}: money on every page the way marketplace.money.format_cny writes it (¥1,234.50),
so a price reads the same in a page, an e-mail and a notification. {{ low|cny_range:high }} for a
price band (¥30–60)."""

from decimal import Decimal, InvalidOperation

from django import template

from marketplace.money import format_cny, format_cny_range

register = template.Library()


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def cny(value: object) -> str:
    amount = _decimal(value)
    return "" if amount is None else format_cny(amount)


@register.filter
def cny_range(low: object, high: object) -> str:
    low_amount, high_amount = _decimal(low), _decimal(high)
    if low_amount is None or high_amount is None:
        return ""
    return format_cny_range(low_amount, high_amount)
