from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 统一社会信用代码. 18 characters from this 31-letter alphabet (no I, O, S, V, Z);
# the last one is a check character over the first 17 with these weights.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            params={"n": len(code)},
            code="length",
        )
    bad = sorted({c for c in code if c not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("The unified social credit code contains characters that are not allowed: %(chars)s."),
            params={"chars": " ".join(bad)},
            code="alphabet",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3–8 of the unified social credit code must be the administrative division code."),
            code="division",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The unified social credit code's check character is wrong; please check it for typos."),
            code="checksum",
        )


# Volume prices (阶梯价) above the MOQ: few enough to read at a glance, as 1688 shows them.
MAX_PRICE_TIERS = 5
MAX_TIER_QUANTITY = 10_000_000


def validate_price_tiers(value: object) -> None:
    """The shape of Product.price_tiers: a list of {"min_quantity": int, "unit_price": "12.50"}.
    How the tiers relate to the MOQ, the factory price and each other is Product.clean's."""
    from decimal import Decimal, InvalidOperation

    if not isinstance(value, list):
        raise ValidationError(_("Price tiers must be a list."), code="type")
    if len(value) > MAX_PRICE_TIERS:
        raise ValidationError(
            _("At most %(n)d price tiers above the MOQ."), params={"n": MAX_PRICE_TIERS}, code="count"
        )
    for tier in value:
        if not isinstance(tier, dict) or set(tier) != {"min_quantity", "unit_price"}:
            raise ValidationError(
                _("Each price tier needs a minimum quantity and a unit price."), code="shape"
            )
        quantity, price = tier["min_quantity"], tier["unit_price"]
        if (
            not isinstance(quantity, int)
            or isinstance(quantity, bool)
            or not 2 <= quantity <= MAX_TIER_QUANTITY
        ):
            raise ValidationError(
                _("A tier's minimum quantity must be a whole number from 2 to %(max)s."),
                params={"max": f"{MAX_TIER_QUANTITY:,}"},
                code="quantity",
            )
        try:
            amount = Decimal(price) if isinstance(price, str) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(_("A tier's unit price must be an amount in yuan and fen."), code="price")
        if not Decimal("0.01") <= amount <= Decimal("9999999.99"):
            raise ValidationError(
                _("A tier's unit price must be between ¥0.01 and ¥9,999,999.99."), code="range"
            )
