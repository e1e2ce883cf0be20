"""Tell the other side of a streamer link what happened to it (inbox, and e-mail through the
notifications outbox): an invitation, its acceptance, its end.

The streamer hears what an organization's member did; the organization's owners hear what the
streamer did (members are many and may only help; owners decide who the organization works for).
Called inside the service's transaction, so nobody is told about a change that rolled back.
"""

from marketplace.accounts.models import User
from marketplace.notifications.services import notification_create

from .models import MemberRole, Membership, StreamerLink


def _other_side(link: StreamerLink, actor: User) -> list[User]:
    if link.buyer.user_id == actor.pk:
        owners = Membership.objects.filter(organization=link.organization, role=MemberRole.OWNER)
        return [m.user for m in owners.select_related("user").order_by("pk") if m.user_id != actor.pk]
    return [link.buyer.user]


def link_notify(*, link: StreamerLink, actor: User, verb: str) -> None:
    data = {
        "ref": f"L{link.pk:06d}",
        "title": link.organization.name,
        "organization": link.organization.name,
        "streamer": link.buyer.display_name,
    }
    for recipient in _other_side(link, actor):
        notification_create(recipient=recipient, kind=verb, key=f"{verb}:{link.pk}", data=data)
