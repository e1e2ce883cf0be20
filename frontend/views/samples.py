"""申请样品 pages: request from a product page; the sample's page with its flow-table buttons."""

from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from factories.selectors import product_visible_to
from trials import selectors
from trials.flows.sample import TABLE
from trials.models import SampleRequest
from trials.services import samples

from .. import forms
from .. import selectors as pages
from ..addresses import address_panel
from ..auth import SignedInRequest
from ..history import history
from .common import Action, action_buttons, form_refused, run_action, service_call, signed_in

ACTIONS = {
    "accept": Action(
        gettext_lazy("Accept"),
        lambda s, u, d: samples.sample_accept(sample=s, actor=u),
        gettext_lazy("Sample request accepted."),
    ),
    "decline": Action(
        gettext_lazy("Decline"),
        lambda s, u, d: samples.sample_decline(sample=s, actor=u, reason=d["reason"]),
        gettext_lazy("Sample request declined."),
        form=forms.DeclineForm,
        style="danger",
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
    "cancel": Action(
        gettext_lazy("Cancel the request"),
        lambda s, u, d: samples.sample_cancel(sample=s, actor=u),
        gettext_lazy("Sample request cancelled."),
        style="danger",
        confirm=gettext_lazy("This cannot be undone. Go on?"),
    ),
    "ship": Action(
        gettext_lazy("Mark as shipped"),
        lambda s, u, d: samples.sample_ship(sample=s, actor=u, **d),
        gettext_lazy("Shipment recorded."),
        form=forms.ShipForm,
    ),
    "receive": Action(
        gettext_lazy("I received the sample"),
        lambda s, u, d: samples.sample_receive(sample=s, actor=u),
        gettext_lazy("Sample received."),
    ),
}


@signed_in
@require_POST
def sample_request(request: SignedInRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(product_visible_to(None), pk=pk)
    form = forms.SampleRequestForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return redirect("frontend:product", pk=pk)
    outcome = service_call(
        request,
        lambda: samples.sample_create(
            actor=request.user,
            product_id=product.pk,
            note=form.cleaned_data["note"],
            address=form.cleaned_data["address"],
        ),
        success=_("Sample requested. The factory has 7 days to answer."),
    )
    if not outcome.ok:
        return redirect("frontend:product", pk=pk)
    return redirect("frontend:sample", pk=outcome.result.pk)


@signed_in
@require_GET
def sample_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "frontend/sample_list.html", {"samples": pages.samples_of(request.user)})


@signed_in
@require_GET
def sample_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_object_or_404(selectors.sample_visible_to(request.user), pk=pk))


def _detail_page(
    request: SignedInRequest, sample: SampleRequest, refused: dict[str, Form] | None = None
) -> HttpResponse:
    buttons = action_buttons(TABLE, ACTIONS, sample, request.user, bound=refused)
    context = {
        "sample": sample,
        "buttons": buttons,
        "events": history(sample, TABLE.flow.labels),
        "shipping": address_panel(sample, request.user, "sample"),
        "is_factory_side": request.user.pk == sample.factory.owner_id,
    }
    return render(request, "frontend/sample_detail.html", context)


@signed_in
@require_POST
def sample_action(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    visible = selectors.sample_visible_to(request.user)
    sample = get_object_or_404(visible, pk=pk)
    refused = run_action(request, sample, ACTIONS, action).bound
    if refused:
        # Shown again with what was typed (the message says why); nothing changed.
        return _detail_page(request, visible.get(pk=pk), refused)
    return redirect("frontend:sample", pk=pk)
