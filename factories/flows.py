"""The two review flows of the catalog, as transition tables applied by the one engine
(marketplace/core/transitions.py): staff verify factories, and review listings.

Their events are past tense with the old and new status and the reason ("factory.verified",
{"old", "new", "reason"}), as they have always been recorded; the trials flows record the
transition's name with {"from", "to"} (issue 15, point 3 makes that one vocabulary).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Role
from marketplace.core.transitions import Flow, FlowTable, Rule, transition

from .models import Factory, Product, ProductStatus, VerificationStatus

S, P = VerificationStatus, ProductStatus
STAFF, FACTORY = Role.STAFF, Role.FACTORY

FACTORY_VERIFICATION = Flow(
    "factory_verification",
    [
        transition("verify", [S.PENDING, S.REJECTED, S.SUSPENDED], S.VERIFIED, [STAFF], label=_("verify")),
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


def _factory_event(factory: Factory, name: str, old: str, new: str) -> dict[str, Any]:
    # The tier is part of what staff decided on verification; keep it in the history.
    tier = {"tier": factory.tier} if name == "verify" else {}
    return {"old": old, "new": new, "reason": factory.status_reason, **tier}


def _product_event(product: Product, name: str, old: str, new: str) -> dict[str, Any]:
    return {"old": old, "new": new, "reason": product.status_reason}


FACTORY_TABLE = FlowTable(
    flow=FACTORY_VERIFICATION,
    kind_prefix="factory",
    status_field="verification_status",
    rules={},
    verbs={"verify": "verified", "reject": "rejected", "suspend": "suspended", "resubmit": "resubmitted"},
    event_data=_factory_event,
)


def listing_data(product: Product) -> dict[str, Any]:
    """What a notification about a listing says (staff decisions about it, its revisions)."""
    return {
        "ref": f"P{product.pk:06d}",
        "title": product.title,
        "product_id": product.pk,
        "reason": product.status_reason,
    }


PRODUCT_VERBS = {
    "submit": "submitted",
    "resubmit": "resubmitted",
    "approve": "approved",
    "reject": "rejected",
    "delist": "delisted",
}

PRODUCT_TABLE = FlowTable(
    flow=PRODUCT_REVIEW,
    kind_prefix="product",
    # The factory hears of staff decisions about its listing (in its inbox, and by e-mail); not of
    # its own delisting (the engine never tells the actor).
    rules={
        "approve": Rule(notify=("factory",)),
        "reject": Rule(notify=("factory",)),
        "delist": Rule(notify=("factory",)),
    },
    parties=lambda product: {"factory": product.factory.owner},
    describe=listing_data,
    verbs=PRODUCT_VERBS,
    event_data=_product_event,
    # A listing is reviewed again and again: one notification per decision.
    notification_key=lambda product, name: (
        f"product.{PRODUCT_VERBS[name]}:{product.pk}:{product.updated_at.isoformat()}"
    ),
)
