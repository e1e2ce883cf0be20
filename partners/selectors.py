from django.db.models import Exists, OuterRef, Q, QuerySet

from buyers.models import BuyerProfile
from marketplace.accounts.models import User

from .models import LinkStatus, MemberRole, Membership, Organization, PartnerKey, StreamerLink


def organizations_of(user: User) -> QuerySet[Organization]:
    """The organizations the user is a member of (any role)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("pk")


def membership_of(*, organization: Organization, user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(organization=organization, user=user).first()


def is_owner(*, organization: Organization, user: User) -> bool:
    membership = membership_of(organization=organization, user=user)
    return membership is not None and membership.role == MemberRole.OWNER


def links_visible_to(user: User) -> QuerySet[StreamerLink]:
    """Links of the user's own streamer profile and of every organization the user is in."""
    qs = StreamerLink.objects.select_related("organization", "buyer").order_by("-pk")
    if not user.is_authenticated:
        return qs.none()
    # Whether the caller is a member, per row: the side they are on (flows.link_role) without a
    # query per link when a list shows each link's actions.
    member = Membership.objects.filter(organization=OuterRef("organization"), user=user)
    return (
        qs.filter(Q(buyer__user=user) | Q(organization__memberships__user=user))
        .distinct()
        .annotate(caller_is_member=Exists(member))
    )


def keys_of(organization: Organization) -> QuerySet[PartnerKey]:
    return organization.keys.order_by("-pk")


def streamers_of(organization: Organization) -> QuerySet[BuyerProfile]:
    """The streamers an organization acts for now (active links)."""
    return BuyerProfile.objects.filter(
        organization_links__organization=organization, organization_links__status=LinkStatus.ACTIVE
    ).order_by("pk")


def partner_streamer(*, organization_id: int, buyer_id: int) -> BuyerProfile | None:
    """The streamer a key of the organization may act for, with its user; None for any other."""
    return (
        BuyerProfile.objects.select_related("user")
        .filter(
            pk=buyer_id,
            user__is_active=True,
            organization_links__organization_id=organization_id,
            organization_links__status=LinkStatus.ACTIVE,
        )
        .first()
    )


def member_streamer(*, user: User, buyer_id: int) -> BuyerProfile | None:
    """A streamer an organization of the user works for (active link), with its user; else None."""
    return (
        BuyerProfile.objects.select_related("user")
        .filter(
            pk=buyer_id,
            user__is_active=True,
            organization_links__status=LinkStatus.ACTIVE,
            organization_links__organization__memberships__user=user,
        )
        .first()
    )


def member_streamers(user: User) -> QuerySet[BuyerProfile]:
    """Every streamer member_streamer accepts for the user, by name: whom they may act for."""
    if not user.is_authenticated:
        return BuyerProfile.objects.none()
    acted_for = StreamerLink.objects.filter(
        buyer=OuterRef("pk"), status=LinkStatus.ACTIVE, organization__memberships__user=user
    )
    return (
        BuyerProfile.objects.select_related("user")
        .filter(Exists(acted_for), user__is_active=True)
        .order_by("display_name", "pk")
    )
