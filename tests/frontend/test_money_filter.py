"""{{ amount|cny }} and {{ low|cny_range:high }}: money on pages as marketplace.money writes it."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from marketplace.money import format_cny


def render(text: str, **context) -> str:
    return Template("{% load money %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("38"), "¥38.00"),
        (Decimal("1234.5"), "¥1,234.50"),
        (Decimal("6.175"), "¥6.18"),  # half-up to the fen, as the trial price rule
        ("88.00", "¥88.00"),
        (12, "¥12.00"),
        (None, ""),
        ("", ""),
        ("not money", ""),
    ],
)
def test_cny_writes_money_as_format_cny_does(value, shown):
    assert render("{{ v|cny }}", v=value) == shown
    if shown:
        assert shown == format_cny(Decimal(str(value)))


def test_cny_range_writes_a_price_band():
    assert render("{{ a|cny_range:b }}", a=Decimal("30"), b=Decimal("60")) == "¥30–60"
    assert render("{{ a|cny_range:b }}", a=Decimal("30"), b=Decimal("30")) == "¥30"
    assert render("{{ a|cny_range:b }}", a=None, b=Decimal("30")) == ""


def test_no_page_template_writes_a_yuan_sign_before_a_raw_amount():
    """Every amount goes through the filter; the one exception is the live total a script
    recomputes as the quantity changes (trial-total.js), which keeps its sign outside the number."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "frontend" / "templates"
    raw = []
    for path in root.rglob("*.html"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"¥\{\{", line):
                raw.append(f"{path.name}:{n}")
    assert raw == []
