"""The two review flows of the catalog, as transition tables applied by the one engine
(marketplace/core/transitions.py): staff verify factories, and review listings.

Their events (factories/events.py) hold the statuses `from` and `to` like every state change,
and the reason staff gave.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Role
from marketplace.core.transitions import Flow, FlowTable, Rule, transition

from .events import FactoryEvents, ProductEvents
from .models import Factory, Product, ProductStatus, VerificationStatus

S, P = VerificationStatus, ProductStatus
STAFF, FACTORY = Role.STAFF, Role.FACTORY

FACTORY_VERIFICATION = Flow(
    "factory_verification",
    [
        # From verified too: staff renew a verification (a lapsing or lapsed one) by verifying again.
        transition(
            "verify", [S.PENDING, S.REJECTED, S.SUSPENDED, S.VERIFIED], S.VERIFIED, [STAFF], label=_("verify")
        ),
        transition("reject", [S.PENDING], S.REJECTED, [STAFF], label=_("reject")),
        transition("suspend", [S.VERIFIED], S.SUSPENDED, [STAFF], label=_("suspend")),
        # A rejected factory that fixes its profile asks for review again.
        transition("resubmit", [S.REJECTED], S.PENDING, [FACTORY], label=_("resubmit")),
    ],
    labels=dict(S.choices),
)

PRODUCT_REVIEW = Flow(
    "product_review",
    [
        transition(
            "submit",
            [P.DRAFT, P.REJECTED, P.DELISTED],
            P.PENDING_REVIEW,
            [FACTORY],
            label=_("submit"),
        ),
        # A rejected listing its factory edits goes back to review by itself (product_update).
        transition("resubmit", [P.REJECTED], P.PENDING_REVIEW, [FACTORY], label=_("resubmit")),
        transition("approve", [P.PENDING_REVIEW], P.ACTIVE, [STAFF], label=_("approve")),
        transition("reject", [P.PENDING_REVIEW, P.ACTIVE], P.REJECTED, [STAFF], label=_("reject")),
        transition(
            "delist",
            [P.DRAFT, P.PENDING_REVIEW, P.ACTIVE, P.REJECTED],
            P.DELISTED,
            [FACTORY, STAFF],
            label=_("delist"),
        ),
    ],
    labels=dict(P.choices),
)


def _factory_reason(factory: Factory, name: str) -> dict[str, Any]:
    # The tier, what was checked and until when are part of what staff decided on verification.
    verified = (
        {
            "tier": factory.tier,
            "checks": factory.verification_checks,
            "expires_at": expires.isoformat() if (expires := factory.verification_expires_at) else None,
        }
        if name == "verify"
        else {}
    )
    return {"reason": factory.status_reason, **verified}


def factory_data(factory: Factory) -> dict[str, Any]:
    """What a notification about the factory's verification says."""
    expires = factory.verification_expires_at
    return {
        "ref": f"F{factory.pk:06d}",
        "title": factory.name,
        "reason": factory.status_reason,
        "expires": expires.date().isoformat() if expires else "",
    }


FACTORY_EVENTS = {
    "verify": FactoryEvents.VERIFIED,
    "reject": FactoryEvents.REJECTED,
    "suspend": FactoryEvents.SUSPENDED,
    "resubmit": FactoryEvents.RESUBMITTED,
}

FACTORY_TABLE = FlowTable(
    flow=FACTORY_VERIFICATION,
    key_prefix="factory",
    status_field="verification_status",
    # The factory hears staff's decisions with their reason (inbox and e-mail); not its own resubmission.
    rules={
        "verify": Rule(notify=("factory",)),
        "reject": Rule(notify=("factory",)),
        "suspend": Rule(notify=("factory",)),
    },
    parties=lambda factory: {"factory": factory.owner},
    describe=factory_data,
    events=FACTORY_EVENTS,
    event_extra=_factory_reason,
    # A factory is verified again and again (renewals): one notification per decision.
    notification_key=lambda factory, name: (
        f"{FACTORY_EVENTS[name]}:{factory.pk}:{factory.updated_at.isoformat()}"
    ),
)


def listing_data(product: Product) -> dict[str, Any]:
    """What a notification about a listing says (staff decisions about it, its revisions)."""
    return {
        "ref": f"P{product.pk:06d}",
        "title": product.title,
        "product_id": product.pk,
        "reason": product.status_reason,
    }


PRODUCT_EVENTS = {
    "submit": ProductEvents.SUBMITTED,
    "resubmit": ProductEvents.RESUBMITTED,
    "approve": ProductEvents.APPROVED,
    "reject": ProductEvents.REJECTED,
    "delist": ProductEvents.DELISTED,
}

PRODUCT_TABLE = FlowTable(
    flow=PRODUCT_REVIEW,
    key_prefix="product",
    # The factory hears of staff decisions about its listing (in its inbox, and by e-mail); not of
    # its own delisting (the engine never tells the actor).
    rules={
        "approve": Rule(notify=("factory",)),
        "reject": Rule(notify=("factory",)),
        "delist": Rule(notify=("factory",)),
    },
    parties=lambda product: {"factory": product.factory.owner},
    describe=listing_data,
    events=PRODUCT_EVENTS,
    event_extra=lambda product, name: {"reason": product.status_reason},
    # A listing is reviewed again and again: one notification per decision.
    notification_key=lambda product, name: (
        f"{PRODUCT_EVENTS[name]}:{product.pk}:{product.updated_at.isoformat()}"
    ),
)
