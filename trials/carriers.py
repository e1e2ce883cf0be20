"""The couriers factories ship with, and what their tracking numbers look like. A carrier named
by its code or its Chinese name gets its number checked; any other name is "other" and is taken
as typed. The patterns follow the couriers' published formats and err on the side of accepting:
they catch a number typed into the wrong carrier or cut short, not every impossible number."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    pattern: str
    example: str


CARRIERS = [
    Carrier("SF", "顺丰速运", r"SF\d{12,13}", "SF1234567890123"),
    Carrier("ZTO", "中通快递", r"\d{12,15}", "75312345678901"),
    Carrier("YTO", "圆通速递", r"YT\d{13}", "YT1234567890123"),
    Carrier("STO", "申通快递", r"\d{12,15}", "773123456789012"),
    Carrier("YUNDA", "韵达速递", r"\d{13}|\d{15}", "4312345678901"),
    Carrier("JD", "京东物流", r"JD[A-Z0-9]{11,16}", "JDVA12345678901"),
    Carrier("EMS", "中国邮政 EMS", r"[A-Z]{2}\d{9}[A-Z]{2}|\d{13}", "EA123456789CN"),
]
OTHER = "OTHER"
BY_KEY = {key: c for c in CARRIERS for key in (c.code, c.name)}


def carrier_of(name: str) -> Carrier | None:
    """The listed carrier `name` stands for (its code or its name), None for any other."""
    return BY_KEY.get((name or "").strip().upper()) or BY_KEY.get((name or "").strip())


def display_name(name: str) -> str:
    carrier = carrier_of(name)
    return carrier.name if carrier else name


def tracking_error(carrier_name: str, tracking_number: str) -> str | None:
    """A message when the number cannot be one of this carrier's, else None."""
    carrier = carrier_of(carrier_name)
    if carrier is None or re.fullmatch(carrier.pattern, (tracking_number or "").strip().upper()):
        return None
    return _("This is not a %(carrier)s tracking number (it looks like %(example)s).") % {
        "carrier": carrier.name,
        "example": carrier.example,
    }
