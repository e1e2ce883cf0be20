from __future__ import annotations  # django-stubs generics (UploadedFile[…]) exist only for mypy

import uuid
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.dirty import mark_dirty
from marketplace.core.errors import NotAllowed, ValidationError
from marketplace.core.events import event_record

from ..events import ProductEvents
from ..images import ProcessedImage, image_process
from ..models import Product, ProductImage
from .common import delete_files
from .revisions import reviews_edits_of, revision_open, revision_withdraw_if_empty

MAX_IMAGES_PER_PRODUCT = 20


def _check_owner(product: Product, actor: User) -> None:
    if not actor.is_staff_member and product.factory.owner_id != actor.pk:
        raise NotAllowed(_("This is not your product."))


def _photo_count(product: Product) -> int:
    # Photos waiting for review count too: approving them must not take a listing past the limit.
    return ProductImage.all_objects.filter(product=product).count()


def _check_room(product: Product) -> None:
    if _photo_count(product) >= MAX_IMAGES_PER_PRODUCT:
        raise ValidationError(
            {"image": [_("A product can have at most %(n)d images.") % {"n": MAX_IMAGES_PER_PRODUCT}]}
        )


def product_image_add(*, product: Product, actor: User, upload: UploadedFile[bytes]) -> ProductImage:
    _check_owner(product, actor)
    # Cheap early refusal, so a full product does not cost a decode; re-checked under the lock.
    _check_room(product)
    # Decode and re-encode outside the transaction: it is the slow part and needs no lock.
    processed = image_process(upload)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        _check_room(product)
        return product_images_store(product=product, actor=actor, processed=[processed])[0]


def images_process(uploads: Iterable[UploadedFile[bytes]]) -> list[ProcessedImage]:
    """Several uploads through the same Pillow checks as one; every bad file is named, so a person
    fixes them all at once. Nothing is stored: callers process first, then write in one transaction."""
    processed: list[ProcessedImage] = []
    errors: list[str] = []
    for upload in uploads:
        try:
            processed.append(image_process(upload))
        except ValidationError as exc:
            errors.extend(f"{upload.name}: {message}" for message in exc.messages)
    if errors:
        raise ValidationError({"images": errors})
    return processed


def check_room_for(product: Product | None, count: int) -> None:
    """Refuse a batch that would take a product past MAX_IMAGES_PER_PRODUCT (None: a new product)."""
    existing = _photo_count(product) if product is not None else 0
    if existing + count > MAX_IMAGES_PER_PRODUCT:
        raise ValidationError(
            {
                "images": [
                    _("A product can have at most %(n)d images; it has %(have)d, you added %(add)d.")
                    % {"n": MAX_IMAGES_PER_PRODUCT, "have": existing, "add": count}
                ]
            }
        )


def product_images_store(
    *, product: Product, actor: User, processed: list[ProcessedImage]
) -> list[ProductImage]:
    """Write already-processed images after the product's last one. The caller holds the product's
    row lock inside its transaction and has checked the room. New photos of a live listing wait
    in its revision: buyers see them once staff approve."""
    revision = revision_open(product=product, actor=actor) if reviews_edits_of(product, actor) else None
    last = ProductImage.all_objects.filter(product=product).aggregate(m=Max("position"))["m"]
    position = 0 if last is None else last + 1
    stored, files = [], []
    try:
        for item in processed:
            image = ProductImage(
                product=product, revision=revision, width=item.width, height=item.height, position=position
            )
            stem, ext = uuid.uuid4().hex, item.extension
            # The ContentFiles need a name: ImageField reads width/height from the content it is
            # given and treats a nameless file as "no file" (width/height would become NULL).
            names = (f"{stem}.{ext}", f"{stem}_thumb.{ext}")
            original = ContentFile(item.original, name=names[0])
            thumbnail = ContentFile(item.thumbnail, name=names[1])
            files += [image.image, image.thumbnail]
            image.image.save(names[0], original, save=False)
            image.thumbnail.save(names[1], thumbnail, save=False)
            image.save()
            event_record(
                actor=actor,
                verb=ProductEvents.IMAGE_ADDED,
                target=product,
                image_id=image.pk,
                **({"revision_id": revision.pk} if revision else {}),
            )
            stored.append(image)
            position += 1
        if revision is None:  # photos waiting for review change nothing buyers can find yet
            mark_dirty(product)
    except BaseException:
        # Storage writes are not transactional: a failed insert must not leave orphan files.
        delete_files(files)
        raise
    return stored


@transaction.atomic
def product_image_move(*, image: ProductImage, actor: User, offset: int) -> None:
    """Move an image one place earlier (offset -1) or later (+1); the first image is the cover."""
    _check_owner(image.product, actor)
    product = Product.objects.select_for_update().get(pk=image.product_id)
    images = list(product.images.order_by("position", "id"))
    index = next((i for i, row in enumerate(images) if row.pk == image.pk), None)
    if index is None or not 0 <= index + offset < len(images):
        return  # already first / last, or removed meanwhile: nothing to move
    images[index], images[index + offset] = images[index + offset], images[index]
    for position, row in enumerate(images):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    mark_dirty(product)
    event_record(
        actor=actor, verb=ProductEvents.IMAGE_MOVED, target=product, image_id=image.pk, offset=offset
    )


@transaction.atomic
def product_image_delete(*, image: ProductImage, actor: User) -> None:
    """Removing a photo, live or waiting for review, applies at once: it can only take away from
    what buyers see, never slip in something nobody approved."""
    _check_owner(image.product, actor)
    # The product first (the order every photo write takes), then the photo, so two deletes do
    # not both record an event and an upload cannot join a revision that is being withdrawn.
    product = Product.objects.select_for_update().get(pk=image.product_id)
    image_id = image.pk
    locked = ProductImage.all_objects.select_for_update().filter(pk=image_id).first()
    if locked is None:
        return
    files = [image.image, image.thumbnail]
    locked.delete()
    event_record(actor=actor, verb=ProductEvents.IMAGE_DELETED, target=product, image_id=image_id)
    if locked.revision is None:
        mark_dirty(product)
    else:
        revision_withdraw_if_empty(revision=locked.revision, actor=actor)
    # Remove files only once the row is really gone: a rollback must leave a working image.
    transaction.on_commit(lambda: delete_files(files), robust=True)
