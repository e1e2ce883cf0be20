import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.validators import validate_single_line

MOBILE = re.compile(r"1[3-9]\d{9}")
POSTCODE = re.compile(r"\d{6}")


def normalize_mobile(value: str) -> str:
    """A mainland mobile number as 11 digits: spaces, dashes and a +86 / 0086 prefix dropped."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


def validate_mobile(value: str) -> None:
    if not MOBILE.fullmatch(normalize_mobile(value)):
        raise ValidationError(_("Enter a mainland China mobile number (11 digits, starting with 13–19)."))


def validate_postcode(value: str) -> None:
    if value and not POSTCODE.fullmatch(value):
        raise ValidationError(_("A postcode has 6 digits."))


def mask_mobile(mobile: str) -> str:
    """138****5678: enough for a person to recognise their number, not enough to call it."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else "****"


class AddressKind(models.TextChoices):
    SHIPPING = "shipping", _("shipping address")  # where a streamer receives goods
    DISPATCH = "dispatch", _("dispatch / return address")  # where a factory ships from and takes returns


class Address(models.Model):
    """One entry of a person's address book. Orders never point here: they freeze a copy
    (`snapshot`) when they are made, so editing the book later moves no goods."""

    MAX_PER_OWNER = 20

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("owner")
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=AddressKind.choices, default=AddressKind.SHIPPING
    )
    recipient = models.CharField(_("recipient"), max_length=40, validators=[validate_single_line])
    mobile = models.CharField(_("mobile number"), max_length=11, validators=[validate_mobile])
    province_code = models.CharField(_("province"), max_length=6)
    city_code = models.CharField(_("city"), max_length=6)
    district_code = models.CharField(_("district"), max_length=6, blank=True)
    street = models.CharField(_("street address"), max_length=120, validators=[validate_single_line])
    postcode = models.CharField(_("postcode"), max_length=6, blank=True, validators=[validate_postcode])
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        ordering = ["-is_default", "-updated_at", "-id"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            # One default per person and kind, even when two requests set one at the same moment.
            models.UniqueConstraint(
                fields=["owner", "kind"], condition=models.Q(is_default=True), name="address_one_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {mask_mobile(self.mobile)} {self.city_code}"
