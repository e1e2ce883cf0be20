"""The streamer link as a transition table on the one engine (marketplace/core/transitions.py).

Who may act on a link is decided by the link, not the account: the invited side (the streamer
when an organization invited, a member when the streamer did) accepts; either side ends it at any
time (leave, decline, withdraw). `link_role` names the caller's side of one link, so the engine,
the API's `actions` and the page's buttons read the same table.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from marketplace.core.transitions import Flow, FlowTable, Rule, transition

from . import selectors
from .events import PartnerEvents
from .models import LinkSide, LinkStatus, StreamerLink

L = LinkStatus
INVITED, INVITING, OUTSIDER = "invited", "inviting", "outsider"

STREAMER_LINK = Flow(
    "streamer_link",
    [
        transition(
            "accept",
            [L.PENDING],
            L.ACTIVE,
            [INVITED],
            label=_("accept"),
            refused_actor=_("Only the invited side can accept."),
            refused_state=_("This invitation is no longer open."),
        ),
        transition(
            "end",
            [L.PENDING, L.ACTIVE],
            L.ENDED,
            [INVITED, INVITING],
            label=_("end"),
            refused_actor=_("Only the streamer or a member of the organization can do this."),
            refused_state=_("This link has already ended."),
        ),
    ],
    labels=dict(L.choices),
)


def link_role(link: StreamerLink, user: Any) -> str:
    """The caller's side of this link: invited, inviting, or neither."""
    if not getattr(user, "is_authenticated", False):
        return OUTSIDER
    streamer = link.buyer.user_id == user.pk
    member = getattr(link, "caller_is_member", None)  # set by selectors.links_visible_to(user)
    if member is None:
        member = selectors.membership_of(organization=link.organization, user=user) is not None
    invited_streamer = link.invited_by == LinkSide.ORGANIZATION
    if (streamer and invited_streamer) or (member and not invited_streamer):
        return INVITED
    if streamer or member:
        return INVITING
    return OUTSIDER


def link_state(link: StreamerLink) -> dict[str, Any]:
    return {"status": link.status, "organization": link.organization_id, "buyer": link.buyer_id}


STREAMER_LINK_TABLE = FlowTable(
    flow=STREAMER_LINK,
    rules={"accept": Rule(stamp="accepted_at"), "end": Rule(stamp="ended_at")},
    events={"accept": PartnerEvents.LINK_ACCEPTED, "end": PartnerEvents.LINK_ENDED},
    # The audit row keeps the link as it is after the change (point 6's before → after).
    event_extra=lambda link, name: {"after": link_state(link)},
    role_of=link_role,
)
