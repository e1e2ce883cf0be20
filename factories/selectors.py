from django.db.models import F, Q, QuerySet

from marketplace.accounts.models import User

from .models import Category, Factory, Product, ProductStatus, VerificationStatus


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
    public = Q(verification_status=VerificationStatus.VERIFIED)
    if user is not None and user.is_authenticated:
        public |= Q(owner=user)
    return qs.filter(public)


def product_public_q(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status": ProductStatus.ACTIVE,
            f"{prefix}factory__verification_status": VerificationStatus.VERIFIED,
        }
    )


def product_visible_to(user: User | None) -> QuerySet[Product]:
    """Active products of verified factories are public; a factory sees all of its own; staff see all."""
    qs = Product.objects.select_related("factory", "category").prefetch_related("images")
    if user is not None and user.is_authenticated and user.is_staff_member:
        return qs
    visible = product_public_q()
    if user is not None and user.is_authenticated:
        visible |= Q(factory__owner=user)
    return qs.filter(visible)


def category_with_descendants(slug: str) -> list[int]:
    return list(Category.objects.filter(Q(slug=slug) | Q(parent__slug=slug)).values_list("id", flat=True))
