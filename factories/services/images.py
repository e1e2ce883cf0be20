import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.dirty import mark_dirty
from marketplace.core.errors import NotAllowed, ValidationError
from marketplace.core.events import event_record

from ..images import image_process
from ..models import Product, ProductImage

MAX_IMAGES_PER_PRODUCT = 20


def _check_owner(product: Product, actor: User) -> None:
    if not actor.is_staff_member and product.factory.owner_id != actor.pk:
        raise NotAllowed(_("This is not your product."))


def _check_room(product: Product) -> None:
    if product.images.count() >= MAX_IMAGES_PER_PRODUCT:
        raise ValidationError(
            {"image": [_("A product can have at most %(n)d images.") % {"n": MAX_IMAGES_PER_PRODUCT}]}
        )


def _delete_files(files) -> None:
    for file in files:
        if file.name:
            file.storage.delete(file.name)


def product_image_add(*, product: Product, actor: User, upload) -> ProductImage:
    _check_owner(product, actor)
    # Cheap early refusal, so a full product does not cost a decode; re-checked under the lock.
    _check_room(product)
    # Decode and re-encode outside the transaction: it is the slow part and needs no lock.
    processed = image_process(upload)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        _check_room(product)
        last = product.images.aggregate(m=Max("position"))["m"]
        image = ProductImage(
            product=product,
            width=processed.width,
            height=processed.height,
            position=0 if last is None else last + 1,
        )
        stem, ext = uuid.uuid4().hex, processed.extension
        # The ContentFiles need a name: ImageField reads width/height from the content it is given
        # and treats a nameless file as "no file" (width/height would become NULL).
        original = ContentFile(processed.original, name=f"{stem}.{ext}")
        thumbnail = ContentFile(processed.thumbnail, name=f"{stem}_thumb.{ext}")
        try:
            image.image.save(original.name, original, save=False)
            image.thumbnail.save(thumbnail.name, thumbnail, save=False)
            image.save()
            mark_dirty(product)
            event_record(actor=actor, verb="product.image_added", target=product, image_id=image.pk)
        except BaseException:
            # Storage writes are not transactional: a failed insert must not leave orphan files.
            _delete_files([image.image, image.thumbnail])
            raise
    return image


@transaction.atomic
def product_image_delete(*, image: ProductImage, actor: User) -> None:
    _check_owner(image.product, actor)
    product = image.product
    image_id = image.pk
    # Lock the row so two concurrent deletes do not both record an event.
    if not ProductImage.objects.select_for_update().filter(pk=image_id).exists():
        return
    files = [image.image, image.thumbnail]
    image.delete()
    mark_dirty(product)
    event_record(actor=actor, verb="product.image_deleted", target=product, image_id=image_id)
    # Remove files only once the row is really gone: a rollback must leave a working image.
    transaction.on_commit(lambda: _delete_files(files))
