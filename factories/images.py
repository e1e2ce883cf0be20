"""Product photos through Pillow: only JPEG/PNG/WebP, bounded size and pixel count, metadata removed.

Why re-encode instead of storing the upload: it drops EXIF (GPS of the factory floor, the phone's
serial), XMP, comments and any payload appended to the file, and it proves the file decodes completely.

Order matters for safety and memory: the byte size is checked before Pillow sees the file, the
format and pixel count are read from the header before any pixel is decoded, and afterwards only
one decoded copy is kept (transposed and thumbnailed in place).
"""

import contextlib
import io
import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.core.errors import ValidationError

# Pillow format id → file extension. MPO is what Pillow calls a JPEG carrying multi-picture data
# (many phones write those); its first picture is an ordinary JPEG and is what we keep.
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
OUTPUT_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
# Only these decoders ever look at an upload: exotic formats (EPS, PSD, …) are never parsed.
OPEN_FORMATS = ["JPEG", "PNG", "WEBP"]
THUMBNAIL_SIZE = 400
# Errors Pillow's decoders raise on broken or hostile input.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


@dataclass(frozen=True)
class ProcessedImage:
    original: bytes
    thumbnail: bytes
    extension: str
    width: int
    height: int


def _error(message: str) -> ValidationError:
    return ValidationError({"image": [message]})


def too_large_message() -> str:
    max_mb = settings.IMAGE_MAX_BYTES // (1024 * 1024)
    return _("The file is larger than %(max)d MB; upload an image of at most %(max)d MB.") % {"max": max_mb}


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ValidationError:
    limit = settings.IMAGE_MAX_PIXELS // 1_000_000
    if width is None or height is None:
        return _error(
            _("The image has more than %(max)d megapixels; resize it and upload again.") % {"max": limit}
        )
    return _error(
        _(
            "The image is %(w)d×%(h)d pixels (%(mp).1f megapixels); the limit is %(max)d megapixels. "
            "Resize it and upload again."
        )
        % {"w": width, "h": height, "mp": width * height / 1e6, "max": limit}
    )


class ImageSizeLimitUploadHandler(FileUploadHandler):
    """Stops buffering an uploaded file once it passes IMAGE_MAX_BYTES.

    Without it Django would spool a 2 GB upload to a temporary file before the view can refuse it.
    The file is skipped (the rest of the body is read and discarded); the view reports `too_large`.
    """

    too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.IMAGE_MAX_BYTES:
            self.too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _normalise_mode(image: Image.Image) -> Image.Image:
    """Bring any decoded mode to one the output encoder writes, keeping alpha (returns a new image
    only when a conversion is needed)."""
    if "transparency" in image.info and image.mode != "RGBA":
        return image.convert("RGBA")  # palette or colour-key transparency becomes a real alpha
    if image.mode in ("RGB", "RGBA", "L"):
        return image
    if image.mode in ("LA", "PA"):
        return image.convert("RGBA")
    if image.mode.startswith("I"):  # 16-bit greyscale PNG: scale down rather than clip to white
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGB")  # CMYK, YCbCr, F, …


def _encode(image: Image.Image, fmt: str, icc_profile: bytes | None) -> bytes:
    buffer = io.BytesIO()
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    if fmt == "JPEG":
        # JPEG has no alpha (an RGBA source cannot be a JPEG upload, but be safe).
        image = image if image.mode in ("RGB", "L") else image.convert("RGB")
        image.save(buffer, "JPEG", quality=88, optimize=True, progressive=True, **extra)
    elif fmt == "PNG":
        # Default compression, not optimize=True: the latter costs seconds on a 40 MP image.
        image.save(buffer, "PNG", **extra)
    else:
        image.save(buffer, "WEBP", quality=88, method=4, **extra)
    return buffer.getvalue()


def _open(upload: "File[bytes]") -> Image.Image:
    """Open and fully decode, refusing by header (format, pixel count) before decoding pixels."""
    try:
        # Image.open reads the header only. Pillow's own bomb check fires here above ~179 MP.
        image = Image.open(upload, formats=OPEN_FORMATS)
        if image.format not in EXTENSIONS:
            raise UnidentifiedImageError(image.format)
        if image.width * image.height > settings.IMAGE_MAX_PIXELS:
            raise _too_many_pixels(image.width, image.height)
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # The warning only arrives here when warnings are turned into errors (python -W error).
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        raise _error(_("The file is not a JPEG, PNG or WebP image.")) from None
    except DECODE_ERRORS:
        raise _error(
            _("The image file is damaged or incomplete; export it again and upload the new file.")
        ) from None
    return image


def image_process(upload: "File[bytes]") -> ProcessedImage:
    """Validate and re-encode an upload. Raises ValidationError with a message a person can act on."""
    if upload.size > settings.IMAGE_MAX_BYTES:
        raise _error(too_large_message())
    upload.seek(0)
    image = _open(upload)
    fmt = OUTPUT_FORMAT[str(image.format)]  # _open refused any format not in the table
    extension = EXTENSIONS[str(image.format)]
    decoded_mode = image.mode
    # Apply the camera's orientation before the EXIF that carries it is dropped (in place: no
    # second full-size copy). Unreadable EXIF must not refuse a good photo: it is dropped anyway.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(image, in_place=True)
    image = _normalise_mode(image)
    # The colour profile is kept (colours would shift without it) unless the mode changed, when it
    # no longer describes the pixels. Everything else in info (exif, xmp, comment, text) is dropped.
    icc_profile = image.info.get("icc_profile") if image.mode == decoded_mode else None
    image.info = {}
    width, height = image.size
    original = _encode(image, fmt, icc_profile)
    image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    thumbnail = _encode(image, fmt, icc_profile)
    return ProcessedImage(
        original=original, thumbnail=thumbnail, extension=extension, width=width, height=height
    )
