"""What a factory shows of itself besides its listings: workshop photos and a video link (视频看厂
before a call), and the business licence staff check when verifying it.

The licence is stored outside MEDIA_ROOT (PRIVATE_MEDIA_ROOT) in a storage with no URL: nothing
serves it but the staff-only view (factories/api/media.py), so a guessed path reveals nothing.
"""

import os
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .factory import Factory  # factory.py imports this module


class PrivateStorage(FileSystemStorage):
    """Files with no public URL, under settings.PRIVATE_MEDIA_ROOT (read when used, so tests can
    point it at a temporary folder)."""

    @property
    def base_location(self) -> Path:
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]  # no URL on purpose: the stubs say str
        return None

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; serve them through a view that checks who asks")


private_storage = PrivateStorage()


def validate_https(value: str) -> None:
    if value and not value.startswith("https://"):
        raise ValidationError(_("Give an https:// link (Tencent Meeting, DingTalk, Douyin, Bilibili …)."))


def factory_photo_path(instance: "FactoryPhoto", filename: str) -> str:
    return f"factories/{instance.factory_id}/{filename}"


def licence_path(instance: "Factory", filename: str) -> str:
    return f"licences/{instance.pk}/{filename}"


class FactoryPhoto(models.Model):
    """A workshop / production-line photo, re-encoded by Pillow like product photos."""

    factory = models.ForeignKey(
        "factories.Factory", on_delete=models.CASCADE, related_name="photos", verbose_name=_("factory")
    )
    image = models.ImageField(
        _("image"), upload_to=factory_photo_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=factory_photo_path)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    caption = models.CharField(_("caption"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("factory photo")
        verbose_name_plural = _("factory photos")

    def __str__(self) -> str:
        return self.caption or f"photo {self.pk}"
