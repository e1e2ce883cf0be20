"""Reviewed edits of live listings (see ProductRevision for why they exist).

A factory's edit of an active listing splits in two: terms that only the factory can honour
(MOQ, lead time, customization, trials) apply at once, as before; what buyers judge the goods by
(title, description, category, price, attributes, new photos) goes into the listing's one pending
revision while the approved version stays live. Staff approve it (the changes become the listing
and search is told) or reject it with a reason (the listing is untouched, the new photos go).
Every function here runs inside the caller's transaction with the product row locked, or takes
that lock itself, so two edits of one listing merge into one revision instead of racing.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.core.dirty import mark_dirty
from marketplace.core.errors import NotAllowed, TransitionNotAllowed
from marketplace.core.events import event_record
from marketplace.core.updates import model_update

from ..events import ProductEvents
from ..models import Category, Product, ProductImage, ProductRevision, ProductStatus, RevisionStatus
from .common import delete_files, listing_notify, require_reason

# What buyers judge a listing by. Order matters only for display.
REVIEWED_FIELDS = ("title", "description", "category", "factory_price", "price_tiers", "attributes")


def reviews_edits_of(product: Product, actor: User) -> bool:
    """Edits of a live listing by its factory wait for review; staff edits apply at once (staff
    are the reviewers), and a listing nobody sees yet is reviewed as a whole anyway."""
    return product.status == ProductStatus.ACTIVE and not actor.is_staff_member


def _as_json(field: str, value: Any) -> Any:
    if field == "category":
        return value.slug
    if field == "factory_price":
        return f"{Decimal(value):.2f}"
    return value


def _from_json(field: str, value: Any) -> Any:
    if field == "category":
        return Category.objects.get(slug=value)
    if field == "factory_price":
        return Decimal(value)
    return value


def revision_live_values(product: Product) -> dict[str, Any]:
    """The listing's live values of REVIEWED_FIELDS in a revision's form (category slug, price
    string): what a revision's `changes` are compared with on every screen that shows both."""
    return {field: _as_json(field, getattr(product, field)) for field in REVIEWED_FIELDS}


def revision_working_values(product: Product, revision: ProductRevision | None) -> dict[str, Any]:
    """The listing as its factory last wrote it: the live values with a pending revision's over them."""
    values = revision_live_values(product)
    if revision is not None and revision.status == RevisionStatus.PENDING:
        values.update(revision.changes)
    return values


def _is_live_value(product: Product, field: str, value: Any) -> bool:
    if field == "category":
        return bool(value.pk == product.category_id)
    return bool(getattr(product, field) == value)


def _pending(product: Product) -> ProductRevision | None:
    return (
        ProductRevision.objects.select_for_update()
        .filter(product=product, status=RevisionStatus.PENDING)
        .first()
    )


def _has_photos(revision: ProductRevision) -> bool:
    return ProductImage.all_objects.filter(revision=revision).exists()


def revision_open(*, product: Product, actor: User) -> ProductRevision:
    """The listing's pending revision, created when there is none. The caller holds the product's
    row lock, which (with the unique constraint behind it) keeps it to one per listing."""
    revision = _pending(product)
    if revision is None:
        revision = ProductRevision.objects.create(product=product, created_by=actor)
        event_record(actor=actor, verb=ProductEvents.REVISION_OPENED, target=product, revision_id=revision.pk)
    return revision


def revision_propose(*, product: Product, actor: User, values: dict[str, Any]) -> ProductRevision | None:
    """Put cleaned values of REVIEWED_FIELDS into the pending revision. A value equal to the live
    one takes that field out of review (the factory changed its mind). Returns the revision, or
    None when nothing is left waiting."""
    revision = _pending(product)
    proposed = dict(revision.changes) if revision else {}
    for field, value in values.items():
        if _is_live_value(product, field, value):
            proposed.pop(field, None)
        else:
            proposed[field] = _as_json(field, value)
    if revision is None and not proposed:
        return None
    if revision is None:
        revision = revision_open(product=product, actor=actor)
    if proposed != revision.changes:
        revision.changes = proposed
        revision.save(update_fields=["changes", "updated_at"])
        event_record(
            actor=actor,
            verb=ProductEvents.REVISION_UPDATED,
            target=product,
            revision_id=revision.pk,
            fields=sorted(proposed),
        )
    return revision_withdraw_if_empty(revision=revision, actor=actor)


def revision_withdraw_if_empty(*, revision: ProductRevision, actor: User) -> ProductRevision | None:
    if revision.changes or _has_photos(revision):
        return revision
    revision.status = RevisionStatus.WITHDRAWN
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "decided_at", "updated_at"])
    event_record(
        actor=actor, verb=ProductEvents.REVISION_WITHDRAWN, target=revision.product, revision_id=revision.pk
    )
    return None


def _apply(product: Product, revision: ProductRevision) -> list[str]:
    """Make the revision the listing: its values through the same whitelist and model validation
    as any edit, its photos live (in the positions they were given after the existing ones)."""
    values = {field: _from_json(field, value) for field, value in revision.changes.items()}
    changed = model_update(instance=product, fields=list(REVIEWED_FIELDS), data=values)
    photos = ProductImage.all_objects.filter(revision=revision).update(revision=None)
    if changed or photos:
        mark_dirty(product)
    return changed + (["images"] if photos else [])


def _lock(product: Product) -> tuple[Product, ProductRevision]:
    product = Product.objects.select_for_update().select_related("factory").get(pk=product.pk)
    revision = _pending(product)
    if revision is None:
        raise TransitionNotAllowed(_("This listing has no changes waiting for review."))
    return product, revision


def _decide(revision: ProductRevision, actor: User, status: str, reason: str = "") -> None:
    revision.status = status
    revision.reason = reason
    revision.decided_by = actor
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])


def _notify(product: Product, revision: ProductRevision, kind: str) -> None:
    listing_notify(product, kind=kind, key=f"{kind}:{revision.pk}", reason=revision.reason)


def _require_staff(actor: User) -> None:
    if not actor.is_staff_member:
        raise NotAllowed(_("Only staff review listing changes."))


@transaction.atomic
def product_revision_approve(*, product: Product, actor: User) -> ProductRevision:
    _require_staff(actor)
    product, revision = _lock(product)
    changed = _apply(product, revision)
    _decide(revision, actor, RevisionStatus.APPROVED)
    event_record(
        actor=actor,
        verb=ProductEvents.REVISION_APPROVED,
        target=product,
        revision_id=revision.pk,
        fields=changed,
    )
    _notify(product, revision, "product.revision_approved")
    return revision


@transaction.atomic
def product_revision_reject(*, product: Product, actor: User, reason: str) -> ProductRevision:
    _require_staff(actor)
    reason = require_reason(reason)
    product, revision = _lock(product)
    photos = list(ProductImage.all_objects.filter(revision=revision))
    files = [f for image in photos for f in (image.image, image.thumbnail)]
    ProductImage.all_objects.filter(pk__in=[image.pk for image in photos]).delete()
    _decide(revision, actor, RevisionStatus.REJECTED, reason)
    event_record(
        actor=actor,
        verb=ProductEvents.REVISION_REJECTED,
        target=product,
        revision_id=revision.pk,
        reason=reason,
        image_ids=[image.pk for image in photos],
    )
    _notify(product, revision, "product.revision_rejected")
    # Files go only once the rows are gone for good: a rollback must leave working photos.
    transaction.on_commit(lambda: delete_files(files), robust=True)
    return revision


def revision_merge_on_leaving_live(*, product: Product, actor: User) -> None:
    """The listing is leaving the live state (delisted, taken down): whatever waited for review
    becomes part of it, since the whole listing is reviewed again before buyers see it. The
    factory loses none of its work, and nothing unreviewed reaches a buyer."""
    revision = _pending(product)
    if revision is None:
        return
    changed = _apply(product, revision)
    revision.status = RevisionStatus.MERGED
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "decided_at", "updated_at"])
    event_record(
        actor=actor,
        verb=ProductEvents.REVISION_MERGED,
        target=product,
        revision_id=revision.pk,
        fields=changed,
    )
