"""What a message may carry: images (checked and re-encoded by Pillow, as product photos are:
factories/images.py) and PDF files (by their magic bytes). Everything else is refused.

A PDF is stored as sent (we do not parse it); it is served with Content-Disposition: attachment
and X-Content-Type-Options: nosniff, so a browser never renders it inline on our origin.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.utils.translation import gettext as _

from factories.images import image_process
from marketplace.core.errors import ValidationError

from .models import AttachmentKind

PDF_MAGIC = b"%PDF-"
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "pdf": "application/pdf"}
NAME_MAX = 120


def max_bytes() -> int:
    return getattr(settings, "CONVERSATION_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


@dataclass(frozen=True)
class CheckedAttachment:
    kind: str
    content: bytes
    extension: str
    name: str
    width: int | None = None
    height: int | None = None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def _error(message: str) -> ValidationError:
    return ValidationError({"attachment": [message]})


def _display_name(raw: str | None, extension: str) -> str:
    """The sender's file name, for showing only (never a path): no folders, no control characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip() or f"attachment.{extension}"
    return name[-NAME_MAX:]


def attachment_check(upload: "File[bytes]") -> CheckedAttachment:
    """Validate one uploaded file. Raises ValidationError({"attachment": [...]}) a person can act on."""
    limit = max_bytes()
    if upload.size > limit:
        raise _error(
            _("The file is larger than %(max)d MB; attach at most %(max)d MB.")
            % {"max": limit // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        content = upload.read()
        return CheckedAttachment(
            kind=AttachmentKind.PDF,
            content=content,
            extension="pdf",
            name=_display_name(upload.name, "pdf"),
        )
    try:
        image = image_process(upload)
    except ValidationError as exc:
        messages = [str(m) for m in exc.messages]
        if messages == [_("The file is not a JPEG, PNG or WebP image.")]:
            messages = [_("Attach a JPEG, PNG or WebP image or a PDF file; other files are refused.")]
        raise ValidationError({"attachment": messages}) from None
    return CheckedAttachment(
        kind=AttachmentKind.IMAGE,
        content=image.original,
        extension=image.extension,
        name=_display_name(upload.name, image.extension),
        width=image.width,
        height=image.height,
    )
