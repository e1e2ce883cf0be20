"""The meeting link: the factory's own Tencent Meeting / DingTalk / Zoom address, sent to streamers
in e-mails and calendar files, so only a plain https address with a host and no credentials."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from marketplace.core.validators import validate_single_line

_https = URLValidator(schemes=["https"])


def validate_meeting_url(value: str) -> None:
    message = _("Give an https:// meeting link (Tencent Meeting, DingTalk, Zoom …).")
    if not isinstance(value, str) or not value.lower().startswith("https://"):
        raise ValidationError(message, code="https_only")
    validate_single_line(value)
    try:
        _https(value)
    except ValidationError:
        raise ValidationError(message, code="invalid") from None
    if "@" in value.split("/", 3)[2]:
        # user:password@host would put a secret into every invitation.
        raise ValidationError(message, code="credentials")
