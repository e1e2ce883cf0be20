"""The receiver's side of a webhook: the verification code docs/api.md gives partners, taken from
the document itself and run as written, so the tests check the very snippet receivers copy."""

import re
from pathlib import Path

import time_machine

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_code() -> str:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("**Verifying a delivery.**") :]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "docs/api.md has no verification code under 'Verifying a delivery.'"
    return match.group(1)


def _load():
    namespace: dict = {}
    exec(compile(documented_code(), str(DOCS), "exec"), namespace)  # noqa: S102 - our own document
    return namespace["verify"]


_documented_verify = _load()


def verify(secret: str, header: str, body: bytes, now: float, tolerance: int = 300) -> bool:
    """docs/api.md's verify(), with the receiver's clock set to `now` (the tests freeze it)."""
    with time_machine.travel(now, tick=False):
        return _documented_verify(secret, header, body, tolerance)
