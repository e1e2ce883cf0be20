"""定制 requests as a table. Quotes are not transitions of the request; a request takes them
while `open`, closes at its deadline (timed) or at MAX_QUOTES quotes."""

from datetime import timedelta

from django.utils.translation import gettext_lazy

from marketplace.accounts.models import Role, User
from marketplace.core.transitions import SYSTEM, Flow, FlowTable, Rule, Timed, transition

from ..events import CustomEvents
from ..models import CustomRequest, CustomStatus

C = CustomStatus

FLOW = Flow(
    "custom_request",
    [
        # Staff too, on a request open past its deadline (trials/services/staff.py).
        transition("close", [C.OPEN], C.CLOSED, [SYSTEM], label=gettext_lazy("close"), admin=[Role.STAFF]),
        transition("accept", [C.OPEN, C.CLOSED], C.ACCEPTED, [Role.BUYER], label=gettext_lazy("accept")),
        transition("cancel", [C.OPEN, C.CLOSED], C.CANCELLED, [Role.BUYER], label=gettext_lazy("cancel")),
    ],
    labels=dict(C.choices),
)


def parties(request: CustomRequest) -> dict[str, User]:
    return {"buyer": request.buyer.user}


def describe(request: CustomRequest) -> dict[str, object]:
    return {
        "ref": f"C{request.pk:06d}",
        "custom_request_id": request.pk,
        "title": request.title,
        "buyer": request.buyer.display_name,
        "quantity": request.quantity,
        "quotes": request.quotes_count,
        "deadline": request.deadline.date().isoformat(),
    }


TABLE = FlowTable(
    flow=FLOW,
    key_prefix="custom",
    events={
        "close": CustomEvents.CLOSED,
        "accept": CustomEvents.ACCEPTED,
        "cancel": CustomEvents.CANCELLED,
    },
    parties=parties,
    describe=describe,
    rules={
        "close": Rule(stamp="closed_at", notify=("buyer",)),
        "accept": Rule(stamp="closed_at"),
        "cancel": Rule(stamp="closed_at"),
    },
    timed=[Timed("close", C.OPEN, "deadline", timedelta(0))],
)
