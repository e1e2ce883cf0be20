"""The two review flows of the catalog, as transition tables (see marketplace/core/transitions.py)."""

from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Role
from marketplace.core.transitions import Flow, transition

from .models import ProductStatus, VerificationStatus

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
