"""大货 pages: the bulk orders of either side, one order's page with the steps it went through,
what is owed and how to pay it, the buttons its flow table allows this person now, and one POST
endpoint per button calling the same service as the API."""

from typing import Any

from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from trials import selectors
from trials.flows.bulk import TABLE
from trials.models import BulkOrder, BulkStatus, PaymentPurpose
from trials.services import bulk, payments

from .. import forms
from .. import selectors as pages
from ..addresses import address_panel
from ..auth import SignedInRequest
from ..history import history
from ..specification import spec_rows
from .common import Action, action_buttons, run_action, signed_in

ACTIONS = {
    "confirm": Action(
        gettext_lazy("Confirm the order"),
        lambda o, u, d: bulk.bulk_confirm(bulk=o, actor=u, delivery_date=d["delivery_date"]),
        gettext_lazy("Order confirmed: the streamer is asked for the deposit."),
        form=forms.ConfirmBulkForm,
    ),
    "decline": Action(
        gettext_lazy("Decline"),
        lambda o, u, d: bulk.bulk_decline(bulk=o, actor=u, reason=d["reason"]),
        gettext_lazy("Order declined."),
        form=forms.BulkReasonForm,
        style="danger",
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
    "cancel": Action(
        gettext_lazy("Cancel the order"),
        lambda o, u, d: bulk.bulk_cancel(bulk=o, actor=u, reason=d["reason"]),
        gettext_lazy("Order cancelled."),
        form=forms.BulkReasonForm,
        style="danger",
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
    "pay": Action(
        gettext_lazy("Pay"),
        lambda o, u, d: payments.bulk_payment_start(bulk=o, actor=u, provider=d["provider"]),
        gettext_lazy("Payment started. Follow the instructions below."),
        form=forms.PayForm,
        confirm=gettext_lazy("This commits you to paying. Go on?"),
    ),
    "start_production": Action(
        gettext_lazy("Start production"),
        lambda o, u, d: bulk.bulk_start_production(bulk=o, actor=u),
        gettext_lazy("Production started: the streamer can follow it here."),
    ),
    "ship": Action(
        gettext_lazy("Mark as shipped"),
        lambda o, u, d: bulk.bulk_ship(bulk=o, actor=u, **d),
        gettext_lazy("Shipment recorded."),
        form=forms.ShipForm,
    ),
    "receive": Action(
        gettext_lazy("I received the goods"),
        lambda o, u, d: bulk.bulk_receive(bulk=o, actor=u),
        gettext_lazy("Received: the balance is due now."),
    ),
    "complete": Action(
        gettext_lazy("Everything is in order: complete"),
        lambda o, u, d: bulk.bulk_complete(bulk=o, actor=u),
        gettext_lazy("Order completed."),
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
    "dispute": Action(
        gettext_lazy("Open a dispute"),
        lambda o, u, d: bulk.bulk_dispute(bulk=o, actor=u, reason=d["reason"]),
        gettext_lazy("Dispute opened: staff will look at it and contact both sides."),
        form=forms.DisputeForm,
        style="danger",
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
}

# The road of an order that goes well, for the progress line: (status, the timestamp it leaves).
STEPS = [
    (BulkStatus.PLACED, "created_at"),
    (BulkStatus.CONFIRMED, "confirmed_at"),
    (BulkStatus.DEPOSIT_PAID, "deposit_paid_at"),
    (BulkStatus.IN_PRODUCTION, "production_started_at"),
    (BulkStatus.SHIPPED, "shipped_at"),
    (BulkStatus.RECEIVED, "received_at"),
    (BulkStatus.BALANCE_PAID, "balance_paid_at"),
    (BulkStatus.COMPLETED, None),
]


def progress(order: BulkOrder) -> list[dict[str, Any]]:
    """Each step with the moment it was reached (None: not yet); the current one marked."""
    reached = {status: getattr(order, field) if field else None for status, field in STEPS}
    reached[BulkStatus.COMPLETED] = order.closed_at if order.status == BulkStatus.COMPLETED else None
    current = order.disputed_from if order.status == BulkStatus.DISPUTED else order.status
    return [
        {
            "status": status,
            "label": BulkStatus(status).label,
            "at": reached[status],
            "current": status == current,
        }
        for status, _ in STEPS
    ]


@signed_in
@require_GET
def bulk_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "frontend/bulk_list.html", {"orders": pages.bulk_orders_of(request.user)})


@signed_in
@require_GET
def bulk_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_object_or_404(selectors.bulk_order_visible_to(request.user), pk=pk))


def _detail_page(
    request: SignedInRequest, order: BulkOrder, refused: dict[str, Form] | None = None
) -> HttpResponse:
    due = payments.BULK_DUE.get(order.status)
    payment = pages.live_bulk_payment(order, due[0]) if due else None
    is_buyer = request.user.pk == order.buyer.user_id
    context = {
        "order": order,
        "buttons": action_buttons(TABLE, ACTIONS, order, request.user, bound=refused),
        "steps": progress(order),
        "amount_due": getattr(order, due[1]) if due else None,
        "due_is_deposit": due is not None and due[0] == PaymentPurpose.DEPOSIT,
        "payment": payment,
        "payment_details": pages.payment_details(payment) if is_buyer else {},
        "paid": [p for p in order.payments.all() if p.status == "succeeded"],
        "card_available": pages.card_payments_available(),
        "stripe_key": pages.stripe_publishable_key(),
        "events": history(order, TABLE.flow.labels),
        "shipping": address_panel(order, request.user, "bulk"),
        "is_factory_side": request.user.pk == order.factory.owner_id,
        "spec_rows": spec_rows(order.specification),
    }
    return render(request, "frontend/bulk_detail.html", context)


@signed_in
@require_POST
def bulk_action(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    visible = selectors.bulk_order_visible_to(request.user)
    order = get_object_or_404(visible, pk=pk)
    refused = run_action(request, order, ACTIONS, action).bound
    if refused:
        # Shown again with what was typed (the message says why); nothing changed.
        return _detail_page(request, visible.get(pk=pk), refused)
    return redirect("frontend:bulk-order", pk=pk)
