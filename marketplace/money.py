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
