"""五折试销 pages: request a trial from a product page, the trial's page with the buttons its
flow table allows this person now, and one POST endpoint per button calling the same service as
the API."""

from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factories.models import Product
from factories.selectors import product_visible_to
from trials import selectors
from trials.flows.trial import TABLE
from trials.models import TrialOrder, TrialStatus
from trials.services import payments, trials

from .. import forms
from .. import selectors as pages
from ..addresses import address_lines, address_panel
from ..auth import SignedInRequest
from ..history import history
from .common import Action, action_buttons, form_refused, run_action, service_call, signed_in

ACTIONS = {
    "accept": Action(
        gettext_lazy("Accept"),
        lambda t, u, d: trials.trial_accept(trial=t, actor=u),
        gettext_lazy("Trial accepted."),
    ),
    "decline": Action(
        gettext_lazy("Decline"),
        lambda t, u, d: trials.trial_decline(trial=t, actor=u),
        gettext_lazy("Trial declined."),
        style="danger",
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
    "cancel": Action(
        gettext_lazy("Cancel the trial"),
        lambda t, u, d: trials.trial_cancel(trial=t, actor=u),
        gettext_lazy("Trial cancelled."),
        style="danger",
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
    "pay": Action(
        gettext_lazy("Pay"),
        lambda t, u, d: payments.payment_start(trial=t, actor=u, provider=d["provider"]),
        gettext_lazy("Payment started. Follow the instructions below."),
        form=forms.PayForm,
        confirm=gettext_lazy("This commits you to paying. Go on?"),
    ),
    "ship": Action(
        gettext_lazy("Mark as shipped"),
        lambda t, u, d: trials.trial_ship(trial=t, actor=u, **d),
        gettext_lazy("Shipment recorded."),
        form=forms.ShipForm,
    ),
    "receive": Action(
        gettext_lazy("I received the goods"),
        lambda t, u, d: trials.trial_receive(trial=t, actor=u),
        gettext_lazy("Received: your trial window has started."),
    ),
    "feedback": Action(
        gettext_lazy("Send feedback"),
        lambda t, u, d: trials.trial_feedback(trial=t, actor=u, **d),
        gettext_lazy("Thank you: your feedback was sent to the factory."),
        form=forms.FeedbackForm,
    ),
    "convert": Action(
        gettext_lazy("Place a bulk order"),
        lambda t, u, d: trials.trial_convert(trial=t, actor=u, quantity=d["quantity"], address=d["address"]),
        gettext_lazy("Bulk order placed at the full factory price."),
        form=forms.ConvertForm,
        confirm=gettext_lazy("This commits you to paying. Go on?"),
    ),
    "end": Action(
        gettext_lazy("End without an order"),
        lambda t, u, d: trials.trial_end(trial=t, actor=u),
        gettext_lazy("Trial ended."),
        style="danger",
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
}


def _public_product(pk: int) -> Product:
    return get_object_or_404(product_visible_to(None).select_related("factory"), pk=pk)


@signed_in
@require_http_methods(["GET", "POST"])
def trial_request(request: SignedInRequest, pk: int) -> HttpResponse:
    """GET: confirm the frozen price for the chosen quantity. POST: ask the factory."""
    product = _public_product(pk)
    form = forms.TrialRequestForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        form_refused(request, form)
        return redirect("frontend:product", pk=pk)
    quantity = form.cleaned_data["quantity"]
    if request.method == "GET":
        unit, total = trials.trial_price(factory_price=product.factory_price, quantity=quantity)
        context = {
            "product": product,
            "quantity": quantity,
            "unit_price": unit,
            "total": total,
            "addresses": address_lines(request.user),
        }
        return render(request, "frontend/trial_confirm.html", context)
    outcome = service_call(
        request,
        lambda: trials.trial_create(
            actor=request.user, product_id=product.pk, quantity=quantity, address=form.cleaned_data["address"]
        ),
        success=_("Trial requested. The factory has 72 hours to answer."),
    )
    if not outcome.ok:
        return redirect("frontend:product", pk=pk)
    return redirect("frontend:trial", pk=outcome.result.pk)


@signed_in
@require_GET
def trial_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "frontend/trial_list.html", {"trials": pages.trials_of(request.user)})


@signed_in
@require_GET
def trial_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_object_or_404(selectors.trial_visible_to(request.user), pk=pk))


def _detail_page(
    request: SignedInRequest, trial: TrialOrder, refused: dict[str, Form] | None = None
) -> HttpResponse:
    buttons = action_buttons(TABLE, ACTIONS, trial, request.user, bound=refused)
    payment = pages.live_payment(trial) if trial.status == TrialStatus.ACCEPTED else None
    context = {
        "trial": trial,
        "buttons": buttons,
        "payment": payment,
        "payment_details": pages.payment_details(payment) if request.user == trial.buyer.user else {},
        "card_available": pages.card_payments_available(),
        "stripe_key": pages.stripe_publishable_key(),
        "events": history(trial, TABLE.flow.labels),
        "shipping": address_panel(trial, request.user, "trial"),
        # The bulk order's destination is picked when converting (the default selected).
        "addresses": address_lines(request.user) if trial.status == TrialStatus.FEEDBACK_SUBMITTED else [],
        "is_factory_side": request.user.pk == trial.factory.owner_id,
        # Shown above the "Place a bulk order" button: the price the order will really charge.
        "bulk_preview": (
            trials.bulk_order_preview(trial) if trial.status == TrialStatus.FEEDBACK_SUBMITTED else None
        ),
    }
    return render(request, "frontend/trial_detail.html", context)


@signed_in
@require_POST
def trial_action(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    visible = selectors.trial_visible_to(request.user)
    trial = get_object_or_404(visible, pk=pk)
    refused = run_action(request, trial, ACTIONS, action).bound
    if refused:
        # Shown again with what was typed (the message says why); nothing changed.
        return _detail_page(request, visible.get(pk=pk), refused)
    return redirect("frontend:trial", pk=pk)
