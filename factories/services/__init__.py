from .factories import factory_create, factory_reject, factory_suspend, factory_update, factory_verify
from .images import product_image_add, product_image_delete, product_image_move
from .listings import product_create_with_images, product_update_with_images
from .media import factory_licence_set, factory_photo_add, factory_photo_delete
from .moderation import product_report_create, product_report_resolve
from .products import (
    product_approve,
    product_build,
    product_check_can_list,
    product_create,
    product_create_many,
    product_delist,
    product_reject,
    product_submit,
    product_update,
)
from .revisions import product_revision_approve, product_revision_reject

__all__ = [
    "factory_create",
    "factory_licence_set",
    "factory_photo_add",
    "factory_photo_delete",
    "factory_reject",
    "factory_suspend",
    "factory_update",
    "factory_verify",
    "product_approve",
    "product_build",
    "product_check_can_list",
    "product_create",
    "product_create_many",
    "product_create_with_images",
    "product_delist",
    "product_image_add",
    "product_image_delete",
    "product_image_move",
    "product_reject",
    "product_report_create",
    "product_report_resolve",
    "product_revision_approve",
    "product_revision_reject",
    "product_submit",
    "product_update",
    "product_update_with_images",
]
