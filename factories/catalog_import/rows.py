"""One row of a catalog file → the data `product_build` takes, and the errors a person can fix.

Only the *shape* of a cell is checked here (text length, control characters, is it a number / a
yes-no). Whether a price, MOQ, lead time, category or attribute set is acceptable is decided by
the product service itself (`product_build`), so an imported row and a row typed into the product
form or the API pass exactly the same rules.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from factories.models import Category, Factory, Product
from factories.services import product_build
from marketplace.core.errors import ValidationError

from .columns import BY_KEY, COLUMNS, Column

YES = {"是", "y", "yes", "true", "1", "✓", "√", "支持", "可以", "有"}
NO = {"否", "n", "no", "false", "0", "×", "不支持", "不可以", "无"}
ATTRIBUTE_SEPARATORS = re.compile(r"[;；\n]")
ATTRIBUTE_PAIR = re.compile(r"[=:：]")
MULTILINE_ALLOWED = {"\n", "\r", "\t"}


@dataclass
class RowResult:
    number: int  # as the spreadsheet shows it (the header is row 1)
    title: str
    errors: list[str] = field(default_factory=list)
    product: Product | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def category_lookup(categories: dict[str, Category]) -> dict[str, str]:
    """What people write in the 类目 cell → slug: the slug, the Chinese or English name, or
    "parent/child". A name two categories share is left out, so it is reported, never guessed."""
    keys: dict[str, set[str]] = {}
    by_id = {c.pk: c for c in categories.values()}
    for category in categories.values():
        names = [category.slug, category.name, category.name_en]
        parent = by_id.get(category.parent_id) if category.parent_id is not None else None
        if parent is not None:
            for sep in ("/", ">", "›", "-"):
                names += [f"{parent.name}{sep}{category.name}", f"{parent.name_en}{sep}{category.name_en}"]
        for name in names:
            keys.setdefault(_key(name), set()).add(category.slug)
    return {key: next(iter(slugs)) for key, slugs in keys.items() if len(slugs) == 1}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def row_check(
    *,
    number: int,
    cells: dict[str, str],
    factory: Factory,
    categories: dict[str, Category],
    category_keys: dict[str, str],
) -> RowResult:
    result = RowResult(number=number, title=cells.get("title", "")[:120])
    data: dict[str, Any] = {}
    for column in COLUMNS:
        raw = cells.get(column.key, "")
        problem = _cell_problem(column, raw)
        if problem:
            result.errors.append(_cell_error(column, problem))
            continue
        if column.required and not raw:
            result.errors.append(_cell_error(column, _("This cell is required.")))
            continue
        if not raw:
            continue
        try:
            data[column.key] = PARSERS[column.key](raw, category_keys)
        except ValueError as exc:
            result.errors.append(_cell_error(column, str(exc)))
    if result.errors:
        return result
    try:
        result.product = product_build(factory=factory, data=data, categories=categories)
    except ValidationError as exc:
        result.errors.extend(_service_errors(exc))
    return result


def _cell_error(column: Column, message: str) -> str:
    # Translated as a whole: Chinese puts a full-width colon after the column name.
    return _("%(column)s: %(message)s") % {"column": column.header, "message": message}


def _cell_problem(column: Column, raw: str) -> str | None:
    if len(raw) > column.max_length:
        return _("At most %(n)d characters; this cell has %(m)d.") % {"n": column.max_length, "m": len(raw)}
    allowed = MULTILINE_ALLOWED if column.multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in raw):
        return _("Contains control characters; remove them.")
    return None


def _service_errors(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    lines = []
    for key, errors in exc.message_dict.items():
        column = BY_KEY.get(key)
        for message in errors:
            lines.append(_cell_error(column, message) if column else message)
    return lines


def _decimal(raw: str, _keys: dict[str, str]) -> Decimal:
    text = raw.replace(",", "").replace("，", "").lstrip("¥￥").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Enter a number such as 12.50.")) from None
    if not value.is_finite():
        raise ValueError(_("Enter a number such as 12.50."))
    return value


def _integer(raw: str, _keys: dict[str, str]) -> int:
    text = raw.replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Enter a whole number.")) from None
    if not value.is_finite() or value != value.to_integral_value() or abs(value) > 10**12:
        raise ValueError(_("Enter a whole number."))
    return int(value)


def _yes_no(raw: str, _keys: dict[str, str]) -> bool:
    key = raw.strip().lower()
    if key in YES:
        return True
    if key in NO:
        return False
    raise ValueError(_("Write 是 or 否 (yes or no)."))


def _category(raw: str, keys: dict[str, str]) -> str:
    # An unknown name goes on as it is: the service names it in its "Unknown category" error.
    return keys.get(_key(raw), raw.strip())


def _attributes(raw: str, _keys: dict[str, str]) -> dict[str, str]:
    """ "产地=浙江义乌；材质=棉" (or one pair per line, with : or ：) → {"产地": "浙江义乌", ...}."""
    attributes: dict[str, str] = {}
    for part in ATTRIBUTE_SEPARATORS.split(raw):
        part = part.strip()
        if not part:
            continue
        pieces = ATTRIBUTE_PAIR.split(part, maxsplit=1)
        if len(pieces) != 2 or not pieces[0].strip() or not pieces[1].strip():
            raise ValueError(
                _("Write attributes as name=value pairs separated by semicolons, e.g. 产地=义乌；材质=棉.")
            )
        attributes[pieces[0].strip()] = pieces[1].strip()
    return attributes


def _text(raw: str, _keys: dict[str, str]) -> str:
    return raw.strip()


PARSERS = {
    "title": _text,
    "category": _category,
    "factory_price": _decimal,
    "moq": _integer,
    "lead_time_days": _integer,
    "customizable": _yes_no,
    "trial_eligible": _yes_no,
    "description": _text,
    "attributes": _attributes,
}
