"""A listing and its photos in one step, for the web form: several photos arrive with the fields.

The API adds photos one request at a time; the form sends them together, and a person expects
"save" to do all of it or nothing. So every photo goes through the same Pillow checks first
(outside any transaction: decoding is the slow part), then the product write and the image rows
share one transaction. The rules stay in product_create / product_update and images.py.
"""

from __future__ import annotations  # django-stubs generics (UploadedFile[…]) exist only for mypy

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

from marketplace.accounts.models import User

from ..models import Factory, Product, ProductImage
from .common import delete_files
from .images import check_room_for, images_process, product_images_store
from .products import product_create, product_update


def _stored_files(images: list[ProductImage]) -> list[FieldFile]:
    return [f for image in images for f in (image.image, image.thumbnail)]


def product_create_with_images(
    *,
    factory: Factory,
    actor: User,
    data: dict[str, Any],
    uploads: list[UploadedFile[bytes]],
    submit: bool = True,
) -> Product:
    check_room_for(None, len(uploads))
    processed = images_process(uploads)
    stored: list[ProductImage] = []
    try:
        with transaction.atomic():
            product = product_create(factory=factory, actor=actor, data=data, submit=submit)
            stored = product_images_store(product=product, actor=actor, processed=processed)
    except BaseException:
        # Storage is not transactional: the rows are gone with the rollback, so are their files.
        delete_files(_stored_files(stored))
        raise
    return product


def product_update_with_images(
    *,
    product: Product,
    actor: User,
    data: dict[str, Any],
    uploads: list[UploadedFile[bytes]],
    submit: bool = False,
) -> Product:
    check_room_for(product, len(uploads))  # early and cheap; re-checked under the lock
    processed = images_process(uploads) if uploads else []
    stored: list[ProductImage] = []
    try:
        with transaction.atomic():
            # product_update locks the row and checks ownership and state before anything changes.
            product = product_update(product=product, actor=actor, data=data, submit=submit)
            if processed:
                check_room_for(product, len(processed))
                stored = product_images_store(product=product, actor=actor, processed=processed)
    except BaseException:
        delete_files(_stored_files(stored))
        raise
    return product
