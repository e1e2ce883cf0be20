from django.db.models import QuerySet

from factories.models import VerificationStatus
from marketplace.accounts.models import Role, User

from .models import BuyerProfile


def buyer_visible_to(user: User) -> QuerySet[BuyerProfile]:
    """Not public. The owner, staff, and verified factories (to judge a request or find streamers) may read."""
    qs = BuyerProfile.objects.prefetch_related("channels", "categories")
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff_member:
        return qs
    if user.role == Role.FACTORY:
        factory = getattr(user, "factory", None)
        if factory is not None and factory.verification_status == VerificationStatus.VERIFIED:
            return qs
        return qs.none()
    return qs.filter(user=user)
