import uuid

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.errors import NotAllowed, ValidationError
from marketplace.core.events import event_record

from ..images import image_process
from ..models import Product, ProductImage

MAX_IMAGES_PER_PRODUCT = 20


def _check_owner(product: Product, actor: User) -> None:
    if not actor.is_staff_member and product.factory.owner_id != actor.pk:
        raise NotAllowed(_("This is not your product."))


def product_image_add(*, product: Product, actor: User, upload) -> ProductImage:
    _check_owner(product, actor)
    # Decode and re-encode outside the transaction: it is the slow part and needs no lock.
    processed = image_process(upload)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        count = product.images.count()
        if count >= MAX_IMAGES_PER_PRODUCT:
            raise ValidationError(
                {"image": [_("A product can have at most %(n)d images.") % {"n": MAX_IMAGES_PER_PRODUCT}]}
            )
        stem = uuid.uuid4().hex
        image = ProductImage(product=product, width=processed.width, height=processed.height)
        image.position = (product.images.aggregate(m=Max("position"))["m"] or 0) + 1 if count else 0
        image.image.save(
            f"{stem}.{processed.original.name.rsplit('.', 1)[1]}", processed.original, save=False
        )
        image.thumbnail.save(
            f"{stem}_thumb.{processed.thumbnail.name.rsplit('.', 1)[1]}", processed.thumbnail, save=False
        )
        image.save()
        Product.objects.filter(pk=product.pk).update(search_index_dirty=True)
        event_record(actor=actor, verb="product.image_added", target=product, image_id=image.pk)
    return image


@transaction.atomic
def product_image_delete(*, image: ProductImage, actor: User) -> None:
    _check_owner(image.product, actor)
    product = image.product
    event_record(actor=actor, verb="product.image_deleted", target=product, image_id=image.pk)
    files = [image.image, image.thumbnail]
    image.delete()
    Product.objects.filter(pk=product.pk).update(search_index_dirty=True)
    # Remove files only once the row is really gone.
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])
