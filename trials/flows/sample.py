"""申请样品 as a table: the factory decides within 7 days or the request expires."""

from datetime import timedelta

from django.utils.translation import gettext_lazy

from marketplace.accounts.models import Role, User
from marketplace.core.transitions import SYSTEM, Flow, FlowTable, Rule, Timed, transition

from ..events import SampleEvents
from ..models import SampleRequest, SampleStatus
from .trial import guard_shipping

S = SampleStatus
BUYER, FACTORY = Role.BUYER, Role.FACTORY

EXPIRE_AFTER = timedelta(days=7)

FLOW = Flow(
    "sample",
    [
        transition("accept", [S.REQUESTED], S.ACCEPTED, [FACTORY], label=gettext_lazy("accept")),
        transition("decline", [S.REQUESTED], S.DECLINED, [FACTORY], label=gettext_lazy("decline")),
        transition("cancel", [S.REQUESTED], S.CANCELLED, [BUYER], label=gettext_lazy("cancel")),
        # Staff too, on a request stuck past its deadline (trials/services/staff.py).
        transition(
            "expire", [S.REQUESTED], S.EXPIRED, [SYSTEM], label=gettext_lazy("expire"), admin=[Role.STAFF]
        ),
        transition("ship", [S.ACCEPTED], S.SHIPPED, [FACTORY], label=gettext_lazy("ship")),
        transition("receive", [S.SHIPPED], S.RECEIVED, [BUYER], label=gettext_lazy("receive")),
    ],
    labels=dict(S.choices),
)


def parties(sample: SampleRequest) -> dict[str, User]:
    return {"buyer": sample.buyer.user, "factory": sample.factory.owner}


def describe(sample: SampleRequest) -> dict[str, object]:
    return {
        "ref": str(sample),
        "sample_id": sample.pk,
        "title": sample.product.title,
        "buyer": sample.buyer.display_name,
        "factory": sample.factory.name,
        "carrier": sample.carrier,
        "tracking_number": sample.tracking_number,
    }


TABLE = FlowTable(
    flow=FLOW,
    key_prefix="sample",
    events={
        "accept": SampleEvents.ACCEPTED,
        "decline": SampleEvents.DECLINED,
        "cancel": SampleEvents.CANCELLED,
        "expire": SampleEvents.EXPIRED,
        "ship": SampleEvents.SHIPPED,
        "receive": SampleEvents.RECEIVED,
    },
    parties=parties,
    describe=describe,
    rules={
        "accept": Rule(stamp="responded_at", notify=("buyer",)),
        "decline": Rule(stamp="responded_at", notify=("buyer",)),
        "cancel": Rule(notify=("factory",)),
        "expire": Rule(notify=("buyer", "factory")),
        "ship": Rule(guards=(guard_shipping,), stamp="shipped_at", notify=("buyer",)),
        "receive": Rule(stamp="received_at", notify=("factory",)),
    },
    timed=[Timed("expire", S.REQUESTED, "created_at", EXPIRE_AFTER)],
)
