"""Money is Decimal CNY with two places. Never floats."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
CURRENCY = "CNY"


def quantize(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def half_price(price: Decimal) -> Decimal:
    """五折: the trial unit price, half-up to the fen (¥12.35 → ¥6.18)."""
    return quantize(Decimal(price) * Decimal("0.5"))


def to_fen(amount: Decimal) -> int:
    """Stripe wants the smallest unit: ¥12.34 → 1234."""
    return int(quantize(amount) * 100)


def format_cny(amount: Decimal) -> str:
    return f"¥{quantize(amount):,}"


# An amount as the sentence helpers take it: a Decimal, a number from a search document (JSON) or
# its text; they go through str() to Decimal, so a float prints as written (0.1, not 0.1000…).
Amount = Decimal | float | str


def format_cny_in_text(amount: Amount) -> str:
    """For a sentence: whole yuan read better without the fen ("¥38", not "¥38.00")."""
    text = format_cny(Decimal(str(amount)))
    return text.removesuffix(".00")


def format_cny_range(low: Amount, high: Amount) -> str:
    """ "¥30–60", as people write it; a single price when both ends are equal ("¥30")."""
    if Decimal(str(low)) == Decimal(str(high)):
        return format_cny_in_text(low)
    return f"{format_cny_in_text(low)}–{format_cny_in_text(high).removeprefix('¥')}"
