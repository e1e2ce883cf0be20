from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from marketplace.accounts.models import User

from .models import (
    Category,
    Factory,
    Product,
    ProductImage,
    ProductRevision,
    ProductStatus,
    RevisionStatus,
    VerificationStatus,
)


def category_list() -> QuerySet[Category]:
    # Top-level categories first, then children grouped under their parent.
    return Category.objects.select_related("parent").order_by(
        F("parent_id").asc(nulls_first=True), "position", "id"
    )


def factory_visible_to(user: User | None) -> QuerySet[Factory]:
    """Verified factories are public; a factory always sees its own; staff see all."""
    qs = Factory.objects.select_related("industrial_belt").prefetch_related("categories")
    if user is not None and user.is_authenticated and user.is_staff_member:
        return qs
    public = factory_public_q()
    if user is not None and user.is_authenticated:
        public |= Q(owner=user)
    return qs.filter(public)


def factory_public_q() -> Q:
    """Factory.is_public as a query."""
    return Q(verification_status=VerificationStatus.VERIFIED)


def product_public_q(prefix: str = "") -> Q:
    """Product.is_public as a query (`prefix` for a path to the product, e.g. "product__")."""
    return Q(
        **{
            f"{prefix}status": ProductStatus.ACTIVE,
            f"{prefix}factory__verification_status": VerificationStatus.VERIFIED,
        }
    )


def product_visible_to(user: User | None) -> QuerySet[Product]:
    """Active products of verified factories are public; a factory sees all of its own; staff see all."""
    qs = Product.objects.select_related("factory", "category").prefetch_related("images")
    if user is not None and user.is_authenticated and (user.is_staff_member or user.is_factory):
        # Owners and staff see a live listing's changes waiting for review (two queries per page).
        qs = qs.prefetch_related(product_revisions_prefetch())
    if user is not None and user.is_authenticated and user.is_staff_member:
        return qs
    visible = product_public_q()
    if user is not None and user.is_authenticated:
        visible |= Q(factory__owner=user)
    return qs.filter(visible)


def category_with_descendants(slug: str) -> list[int]:
    return list(Category.objects.filter(Q(slug=slug) | Q(parent__slug=slug)).values_list("id", flat=True))


def product_revisions_shown() -> QuerySet[ProductRevision]:
    """Revisions worth showing its owner: pending, or decided by staff (a rejection's reason), the
    newest first. Withdrawn and merged ones only live on in the event history."""
    photos = Prefetch("images", queryset=ProductImage.all_objects.all(), to_attr="proposed_images")
    return (
        ProductRevision.objects.filter(
            status__in=[RevisionStatus.PENDING, RevisionStatus.APPROVED, RevisionStatus.REJECTED]
        )
        .select_related("product__category")
        .prefetch_related(photos)
    )


def product_revisions_prefetch() -> "Prefetch[str, QuerySet[ProductRevision], str]":
    return Prefetch("revisions", queryset=product_revisions_shown(), to_attr="shown_revisions")


def product_revision_shown_to(user: User | None, product: Product) -> ProductRevision | None:
    """A listing's changes under review are its factory's and staff's business, nobody else's."""
    if user is None or not user.is_authenticated:
        return None
    if not (user.is_staff_member or product.factory.owner_id == user.pk):
        return None
    return product_revision_latest(product)


def product_revision_latest(product: Product) -> ProductRevision | None:
    """The newest revision worth showing (prefetched by product_visible_to for owners and staff)."""
    shown = getattr(product, "shown_revisions", None)
    if shown is None:
        shown = list(product_revisions_shown().filter(product=product)[:1])
    return shown[0] if shown else None


def product_revision_pending_exists(product: Product) -> bool:
    return ProductRevision.objects.filter(product=product, status=RevisionStatus.PENDING).exists()


def product_with_pending_flag(products: QuerySet[Product]) -> QuerySet[Product]:
    """Annotate `has_pending_changes` (a live listing with changes waiting for staff)."""
    pending = ProductRevision.objects.filter(product=OuterRef("pk"), status=RevisionStatus.PENDING)
    return products.annotate(has_pending_changes=Exists(pending))
