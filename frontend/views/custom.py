"""定制 pages: the request form (to one factory or open), the request's page (side-by-side quotes
and "accept" for the buyer, the quote form for a factory), and the message thread."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conversations.selectors import with_shown_bodies
from factories.models import Factory
from factories.selectors import category_list, factory_visible_to
from marketplace.core.transitions import allowed_actions
from tours import selectors as tour_selectors
from trials import selectors
from trials.flows.custom import TABLE
from trials.models import CustomRequest, CustomStatus
from trials.services import custom

from .. import forms
from .. import selectors as pages
from ..addresses import address_lines
from ..auth import SignedInRequest
from ..history import history
from .common import form_refused, service_call, signed_in


def _target_factory(raw: str | int | None) -> Factory | None:
    if raw is None:
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return factory_visible_to(None).filter(pk=pk).first()


def _after_tour(request: SignedInRequest) -> dict[str, Any]:
    """`?tour=<id>`: the form prefilled from the streamer's own video tour (its factory, the
    products discussed, the agenda). Anyone else's tour, or a bad id, prefills nothing."""
    try:
        pk = int(request.GET.get("tour", ""))
    except ValueError:
        return {}
    booking = tour_selectors.booking_visible_to(request.user).filter(pk=pk, buyer__user=request.user).first()
    if booking is None:
        return {}
    products = list(booking.products.select_related("category"))
    lines = [f"- {p.title}" for p in products] + ([booking.agenda] if booking.agenda else [])
    return {
        "factory": booking.factory_id,
        "category": products[0].category.slug if products else "",
        "title": (_("After the video tour %(ref)s") % {"ref": booking})[:120],
        "requirements": "\n".join(lines),
    }


@signed_in
@require_http_methods(["GET", "POST"])
def custom_request_new(request: SignedInRequest) -> HttpResponse:
    categories = category_list()
    if request.method == "GET":
        prefill = _after_tour(request)
        factory = _target_factory(prefill.get("factory") or request.GET.get("factory"))
        form = forms.CustomRequestForm(
            initial={
                **prefill,
                "factory": factory.pk if factory else None,
                "category": prefill.get("category") or request.GET.get("category", ""),
            },
            categories=categories,
        )
        return render(request, "frontend/custom_new.html", {"form": form, "factory": factory})
    form = forms.CustomRequestForm(request.POST, categories=categories)
    factory = _target_factory(request.POST.get("factory"))
    if not form.is_valid():
        # Re-show the form with what was typed; nothing was written.
        form_refused(request, form)
        return render(request, "frontend/custom_new.html", {"form": form, "factory": factory})
    outcome = service_call(
        request, lambda: custom.custom_request_create(actor=request.user, data=form.service_data())
    )
    if not outcome.ok:
        return render(request, "frontend/custom_new.html", {"form": form, "factory": factory})
    created = outcome.result
    if created.is_open_request and not created.offers.exists():
        # Nobody received it: say so (the request's page says how to widen it), never "sent".
        messages.warning(request, _("No factory fits this request yet, so nobody has received it."))
    else:
        messages.success(request, _("Request sent. Quotes will appear on this page."))
    return redirect("frontend:custom", pk=created.pk)


@signed_in
@require_GET
def custom_request_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "frontend/custom_list.html", {"requests": pages.custom_requests_of(request.user)})


@signed_in
@require_GET
def custom_request_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(selectors.custom_request_visible_to(request.user), pk=pk)
    return _detail_page(request, req)


def _detail_page(
    request: SignedInRequest,
    req: CustomRequest,
    *,
    quote_form: forms.QuoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request's page; `quote_form`: a refused quote, shown again with what was typed."""
    user = request.user
    names = allowed_actions(TABLE, req, user)
    quotes = list(selectors.quotes_for(request=req, user=user))
    is_buyer = req.buyer.user_id == user.pk
    own_quote = next((q for q in quotes if q.factory.owner_id == user.pk), None)
    context = {
        "req": req,
        "is_buyer": is_buyer,
        "can_accept": is_buyer and "accept" in names,
        "can_cancel": is_buyer and "cancel" in names,
        "addresses": address_lines(user) if is_buyer and "accept" in names else [],
        "compared": selectors.quotes_compared(request=req, quotes=quotes) if is_buyer else [],
        "own_quote": own_quote,
        "quote_form": (
            (quote_form or forms.QuoteForm())
            if user.is_factory and own_quote is None and req.status == CustomStatus.OPEN
            else None
        ),
        "thread": with_shown_bodies(selectors.messages_for(request=req, user=user), user=user),
        # Open requests: which factories it went to and why (the streamer only).
        "offers": list(req.offers.all()) if is_buyer and req.is_open_request else [],
        "message_form": forms.MessageForm(),
        "events": history(req, TABLE.flow.labels, events=selectors.custom_request_events_for(req, user)),
        **(_reach(req) if is_buyer else {}),
    }
    return render(request, "frontend/custom_detail.html", context, status=status)


def _reach(req: CustomRequest) -> dict[str, Any]:
    """An open request offered to nobody: say so, and the wider ask that would reach factories."""
    reach = selectors.custom_request_reach(req)
    if reach is None or reach["offered"]:
        return {}
    widen = reach["widen"][0] if reach["widen"] else None
    category = None
    if widen and widen["category"]:
        category = next(c for c in category_list() if c.slug == widen["category"])
    return {"unreached": True, "widen": widen, "widen_category": category}


def _visible(request: SignedInRequest, pk: int) -> CustomRequest:
    return get_object_or_404(selectors.custom_request_visible_to(request.user), pk=pk)


@signed_in
@require_POST
def custom_request_cancel(request: SignedInRequest, pk: int) -> HttpResponse:
    req = _visible(request, pk)
    service_call(
        request,
        lambda: custom.custom_request_cancel(request=req, actor=request.user),
        success=_("Request cancelled."),
    )
    return redirect("frontend:custom", pk=pk)


@signed_in
@require_POST
def quote_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    req = _visible(request, pk)
    form = forms.QuoteForm(request.POST)
    if not form.is_valid():
        # Shown again with everything typed (and the errors by their fields); nothing was written.
        form_refused(request, form)
        return _detail_page(request, req, quote_form=form)
    outcome = service_call(
        request,
        lambda: custom.quote_submit(request=req, actor=request.user, data=form.cleaned_data),
        success=_("Quote sent to the streamer."),
    )
    if not outcome.ok:
        return _detail_page(request, req, quote_form=form)
    return redirect("frontend:custom", pk=pk)


@signed_in
@require_POST
def quote_accept(request: SignedInRequest, pk: int, quote_id: int) -> HttpResponse:
    req = _visible(request, pk)
    outcome = service_call(
        request,
        lambda: custom.quote_accept(request=req, quote_id=quote_id, actor=request.user),
        success=_("Quote accepted: its trial run is ready to pay."),
    )
    if outcome.ok:
        return redirect("frontend:trial", pk=outcome.result.pk)
    return redirect("frontend:custom", pk=pk)


@signed_in
@require_POST
def quote_order(request: SignedInRequest, pk: int, quote_id: int) -> HttpResponse:
    """Order a quote's goods at once, without a trial run."""
    req = _visible(request, pk)
    form = forms.QuoteOrderForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return redirect("frontend:custom", pk=pk)
    outcome = service_call(
        request,
        lambda: custom.quote_order(
            request=req,
            quote_id=quote_id,
            actor=request.user,
            quantity=form.cleaned_data["quantity"],
            address=form.cleaned_data["address"],
        ),
        success=_("Bulk order placed: the factory confirms it with a delivery date."),
    )
    if outcome.ok:
        return redirect("frontend:bulk-order", pk=outcome.result.pk)
    return redirect("frontend:custom", pk=pk)


@signed_in
@require_POST
def message_post(request: SignedInRequest, pk: int) -> HttpResponse:
    req = _visible(request, pk)
    form = forms.MessageForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return redirect("frontend:custom", pk=pk)
    service_call(
        request,
        lambda: custom.custom_message_post(
            request=req,
            actor=request.user,
            body=form.cleaned_data["body"],
            factory_id=form.cleaned_data["factory"],
        ),
        success=_("Message sent."),
    )
    return redirect("frontend:custom", pk=pk)
