"""The columns of a catalog file: their Chinese and English headers, which are required, how long
a cell may be, and which product field each one fills (so service errors land on the right column)."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Column:
    key: str  # the product field it fills
    zh: str  # the template's header (Chinese is what factories type)
    en: str
    required: bool
    max_length: int
    multiline: bool = False  # description and attributes may hold line breaks
    aliases: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        return self.en if (get_language() or "").startswith("en") else self.zh


COLUMNS = [
    Column("title", "标题", "Title", True, 120, aliases=("商品标题", "商品名称", "品名")),
    Column("category", "类目", "Category", True, 64, aliases=("分类", "商品类目")),
    Column(
        "factory_price",
        "出厂价",
        "Factory price",
        True,
        20,
        aliases=("出厂价(元)", "价格", "factory price (cny)", "price"),
    ),
    Column("moq", "起订量", "MOQ", True, 12, aliases=("最小起订量", "minimum order quantity")),
    Column(
        "lead_time_days",
        "交期(天)",
        "Lead time (days)",
        True,
        6,
        aliases=("交期", "发货时间(天)", "lead time"),
    ),
    Column("customizable", "可定制", "Customizable", False, 8, aliases=("支持定制",)),
    Column(
        "trial_eligible",
        "支持五折试销",
        "50% off trial",
        False,
        8,
        aliases=("五折试销", "trial eligible", "50%-off trial"),
    ),
    Column("description", "描述", "Description", False, 5000, True, ("商品描述", "详情")),
    Column("attributes", "属性", "Attributes", False, 2000, True, ("商品属性", "规格")),
]
BY_KEY = {c.key: c for c in COLUMNS}


def normalize_header(text: object) -> str:
    """Headers as people type them: full-width brackets, spaces, a trailing * for "required"."""
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    text = re.sub(r"\s+", "", text.replace("\ufeff", ""))
    return text.rstrip("*")


HEADER_LOOKUP = {
    normalize_header(name): column for column in COLUMNS for name in (column.zh, column.en, *column.aliases)
}
