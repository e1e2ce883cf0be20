"""A factory's photos, tour video link and business licence (models/media.py says why the licence
is private). Photos go through the same Pillow checks as product photos; so does the licence,
which is re-encoded too (no EXIF, proven to decode) before staff see it."""

from __future__ import annotations  # django-stubs generics (UploadedFile[…]) exist only for mypy

import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, ValidationError
from marketplace.core.events import event_record

from ..events import FactoryEvents
from ..images import image_process
from ..models import Factory, FactoryPhoto
from .common import delete_files

MAX_FACTORY_PHOTOS = 12


def _check_owner(factory: Factory, actor: User) -> None:
    if not actor.is_staff_member and factory.owner_id != actor.pk:
        raise NotAllowed(_("Only the owner can change this."))


def factory_photo_add(
    *, factory: Factory, actor: User, upload: UploadedFile[bytes], caption: str = ""
) -> FactoryPhoto:
    _check_owner(factory, actor)
    caption = (caption or "").strip()
    if len(caption) > 60 or any(ord(c) < 32 for c in caption):
        raise ValidationError({"caption": _("A caption is one line of at most 60 characters.")})
    processed = image_process(upload)  # the slow part, outside the lock
    stem = uuid.uuid4().hex
    with transaction.atomic():
        factory = Factory.objects.select_for_update().get(pk=factory.pk)
        count = factory.photos.count()
        if count >= MAX_FACTORY_PHOTOS:
            raise ValidationError(
                {
                    "image": [
                        _("A factory can show at most %(n)d photos; remove one first.")
                        % {"n": MAX_FACTORY_PHOTOS}
                    ]
                }
            )
        last = factory.photos.aggregate(m=Max("position"))["m"]
        photo = FactoryPhoto(factory=factory, caption=caption, position=0 if last is None else last + 1)
        files = [photo.image, photo.thumbnail]
        try:
            # Named ContentFiles: an ImageField treats a nameless one as no file (width/height None).
            names = (f"{stem}.{processed.extension}", f"{stem}_thumb.{processed.extension}")
            original = ContentFile(processed.original, name=names[0])
            thumbnail = ContentFile(processed.thumbnail, name=names[1])
            photo.image.save(names[0], original, save=False)
            photo.thumbnail.save(names[1], thumbnail, save=False)
            photo.save()
            event_record(actor=actor, verb=FactoryEvents.PHOTO_ADDED, target=factory, photo_id=photo.pk)
        except BaseException:
            delete_files(files)  # storage is not transactional
            raise
    return photo


@transaction.atomic
def factory_photo_delete(*, photo: FactoryPhoto, actor: User) -> None:
    _check_owner(photo.factory, actor)
    files = [photo.image, photo.thumbnail]
    event_record(actor=actor, verb=FactoryEvents.PHOTO_REMOVED, target=photo.factory, photo_id=photo.pk)
    photo.delete()
    transaction.on_commit(lambda: delete_files(files), robust=True)


def factory_licence_set(*, factory: Factory, actor: User, upload: UploadedFile[bytes]) -> Factory:
    """The business licence staff check when verifying; replacing it drops the old file."""
    _check_owner(factory, actor)
    processed = image_process(upload)
    with transaction.atomic():
        factory = Factory.objects.select_for_update().get(pk=factory.pk)
        old = factory.licence_image.name
        factory.licence_image.save(
            f"{uuid.uuid4().hex}.{processed.extension}", ContentFile(processed.original), save=False
        )
        new = factory.licence_image
        try:
            factory.save(update_fields=["licence_image", "updated_at"])
            event_record(actor=actor, verb=FactoryEvents.LICENCE_UPLOADED, target=factory)
        except BaseException:
            delete_files([new])
            raise
        if old:
            storage = factory.licence_image.storage
            transaction.on_commit(lambda: storage.delete(old), robust=True)
    return factory
