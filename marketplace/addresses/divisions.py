"""China's administrative divisions (province → city → district), read once from the data files
in data/ (see data/SOURCE.md for where they come from and how to refresh them)."""

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
# Not served here (see SOURCE.md): Taiwan, Hong Kong, Macau.
LEFT_OUT = {"710000", "810000", "820000"}


@dataclass
class Division:
    code: str
    name: str
    children: dict[str, "Division"] = field(default_factory=dict)


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def tree() -> dict[str, Division]:
    """Provinces by code, each with its cities by code, each with its districts by code."""
    provinces = {
        r["code"]: Division(r["code"], r["name"]) for r in _rows("province.csv") if r["code"] not in LEFT_OUT
    }
    for r in _rows("city.csv"):
        provinces[f"{r['province']}0000"].children[r["code"]] = Division(r["code"], r["name"])
    for r in _rows("area.csv"):
        province = provinces[f"{r['province']}0000"]
        city_code = f"{r['province']}{r['city']}00"
        if city_code not in province.children:
            # A municipality: its districts hang from the municipality itself.
            city_code = f"{r['province']}0100"
            province.children.setdefault(city_code, Division(city_code, province.name))
        province.children[city_code].children[r["code"]] = Division(r["code"], r["name"])
    return provinces


def province_choices() -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in tree().values()]


def city_choices(province_code: str) -> list[tuple[str, str]]:
    province = tree().get(province_code)
    return [(d.code, d.name) for d in province.children.values()] if province else []


def district_choices(province_code: str, city_code: str) -> list[tuple[str, str]]:
    city = tree().get(province_code, Division("", "")).children.get(city_code)
    return [(d.code, d.name) for d in city.children.values()] if city else []


def names(province_code: str, city_code: str, district_code: str = "") -> tuple[str, str, str]:
    """The three names of a valid triple (see `check`)."""
    province = tree()[province_code]
    city = province.children[city_code]
    return province.name, city.name, city.children[district_code].name if district_code else ""


def check(province_code: str, city_code: str, district_code: str = "") -> str | None:
    """None when the codes name one place, else which level is wrong ("province" / "city" /
    "district"). A city with districts needs one; one without takes none."""
    province = tree().get(province_code)
    if province is None:
        return "province"
    city = province.children.get(city_code)
    if city is None:
        return "city"
    if city.children and district_code not in city.children:
        return "district"
    if not city.children and district_code:
        return "district"
    return None


def lookup(province_name: str, city_name: str) -> tuple[str, str, str]:
    """(province, city, first district) codes for short names as people write them ("浙江",
    "杭州"); for demo data and imports. Raises KeyError when nothing matches."""
    for province in tree().values():
        if province.name.startswith(province_name):
            for city in province.children.values():
                if city.name.startswith(city_name):
                    district = next(iter(city.children), "")
                    return province.code, city.code, district
    raise KeyError(f"{province_name} {city_name}")
