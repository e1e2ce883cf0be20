"""What an order keeps of an address (frozen when the order is made) and what each reader may
see of it: the other party sees the city until the deal needs the rest, and the number masked
except on the shipping step."""

from .divisions import names
from .models import Address, mask_mobile


def snapshot(address: Address) -> dict:
    province, city, district = names(address.province_code, address.city_code, address.district_code)
    return {
        "recipient": address.recipient,
        "mobile": address.mobile,
        "province": province,
        "city": city,
        "district": district,
        "street": address.street,
        "postcode": address.postcode,
        "division_code": address.district_code or address.city_code,
    }


# How much of a frozen address a reader sees.
FULL = "full"  # the streamer themself, staff, and the factory on the shipping step
ADDRESS = "address"  # the factory once it accepted: where to, the number masked
CITY = "city"  # the factory before it accepted: the province and city only


def revealed(frozen: dict | None, level: str) -> dict | None:
    if not frozen:
        return None
    if level == FULL:
        return dict(frozen)
    if level == ADDRESS:
        return {**frozen, "mobile": mask_mobile(frozen.get("mobile", ""))}
    return {"province": frozen.get("province", ""), "city": frozen.get("city", "")}


def one_line(frozen: dict | None) -> str:
    """收件人 电话 省市区 街道 — as a courier writes it."""
    if not frozen:
        return ""
    place = "".join(frozen.get(k, "") for k in ("province", "city", "district") if frozen.get(k))
    if frozen.get("province") == frozen.get("city"):  # a municipality: 北京市北京市 → 北京市
        place = frozen["province"] + frozen.get("district", "")
    parts = [frozen.get("recipient", ""), frozen.get("mobile", ""), place + frozen.get("street", "")]
    return " ".join(p for p in parts if p)
