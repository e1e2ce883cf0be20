"""Placeholder product photos drawn with Pillow, so demo listings are not all blank.

They go through `product_image_add` like any upload. A CJK font is used when the machine has one;
otherwise Pillow's built-in font draws the English category name (it has no Chinese glyphs).
"""

import io
import zlib
from functools import cache
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

SIZE = 480
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
PALETTE = ("#f4a261", "#2a9d8f", "#e76f51", "#457b9d", "#8ab17d", "#b5838d", "#e9c46a", "#6d597a")


@cache
def _font(size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    for path in CJK_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size=size), False


def product_picture(*, name: str, name_en: str, label: str, seed: str) -> SimpleUploadedFile:
    color = PALETTE[zlib.crc32(seed.encode()) % len(PALETTE)]
    image = Image.new("RGB", (SIZE, SIZE), color)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((40, 40, SIZE - 40, SIZE - 40), radius=36, outline="white", width=6)
    big, cjk = _font(64)
    small, _ = _font(28)
    draw.text((SIZE / 2, SIZE / 2 - 30), name if cjk else name_en, font=big, fill="white", anchor="mm")
    draw.text(
        (SIZE / 2, SIZE / 2 + 50), label if cjk else "Yuantou demo", font=small, fill="white", anchor="mm"
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")
