"""Product photos through Pillow: only JPEG/PNG/WebP, bounded size and pixel count, EXIF removed.

Why re-encode instead of storing the upload: it drops EXIF (GPS of the factory floor, the phone's
serial) and any payload appended to the file, and it proves the file decodes completely.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.core.errors import ValidationError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = 400


@dataclass(frozen=True)
class ProcessedImage:
    original: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _error(message: str) -> ValidationError:
    return ValidationError({"image": [message]})


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=88, optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "WEBP", quality=88, method=4)
    return buffer.getvalue()


def image_process(upload) -> ProcessedImage:
    """Validate and re-encode an upload. Raises ValidationError with a message a person can act on."""
    max_mb = settings.IMAGE_MAX_BYTES // (1024 * 1024)
    if upload.size > settings.IMAGE_MAX_BYTES:
        raise _error(
            _("The image is %(size).1f MB; the limit is %(max)d MB.")
            % {"size": upload.size / 1024 / 1024, "max": max_mb}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)  # reads the header only; pixels are not decoded yet
            fmt = image.format
            if fmt not in ALLOWED_FORMATS:
                raise _error(
                    _("Upload a JPEG, PNG or WebP image (this file is %(fmt)s).") % {"fmt": fmt or "?"}
                )
            pixels = image.width * image.height
            if pixels > settings.IMAGE_MAX_PIXELS:
                raise _error(
                    _(
                        "The image is %(w)d×%(h)d pixels (%(mp).0f megapixels); the limit is %(max)d megapixels."
                    )
                    % {
                        "w": image.width,
                        "h": image.height,
                        "mp": pixels / 1e6,
                        "max": settings.IMAGE_MAX_PIXELS // 1_000_000,
                    }
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error(
            _("The image has too many pixels; the limit is %(max)d megapixels.")
            % {"max": settings.IMAGE_MAX_PIXELS // 1_000_000}
        ) from None
    except UnidentifiedImageError:
        raise _error(_("This file is not an image we can read. Upload a JPEG, PNG or WebP image.")) from None
    except (OSError, SyntaxError, ValueError):
        raise _error(_("The image file is damaged or incomplete; please export it again.")) from None

    # Respect the camera's orientation before the EXIF that carries it is dropped.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    image.info.pop("exif", None)
    original = _encode(image, fmt)
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    ext = ALLOWED_FORMATS[fmt]
    return ProcessedImage(
        original=ContentFile(original, name=f"image.{ext}"),
        thumbnail=ContentFile(_encode(thumb, fmt), name=f"thumb.{ext}"),
        width=image.width,
        height=image.height,
    )
