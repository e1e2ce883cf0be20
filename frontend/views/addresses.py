"""The address book page: a streamer's shipping addresses, a factory's dispatch / return address.
Adding, making one the default and removing go through the same services as the API."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.addresses import services
from marketplace.addresses.models import Address
from marketplace.addresses.snapshot import one_line, snapshot

from .. import forms
from ..auth import SignedInRequest
from .common import form_refused, service_call, signed_in


def _page(request: SignedInRequest, form: forms.AddressForm, editing: Address | None = None) -> HttpResponse:
    book = [{"address": a, "line": one_line(snapshot(a))} for a in Address.objects.filter(owner=request.user)]
    context = {"book": book, "form": form, "editing": editing}
    return render(request, "frontend/addresses.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def address_book(request: SignedInRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, forms.AddressForm())
    form = forms.AddressForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return _page(request, form)
    outcome = service_call(
        request,
        lambda: services.address_create(actor=request.user, data=form.cleaned_data),
        success=_("Address saved."),
    )
    if not outcome.ok:
        return _page(request, form)  # what was typed stays, the message says why
    # Back to the page that sent the person here (a product page asking for an address first).
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("frontend:addresses")


@signed_in
@require_http_methods(["GET", "POST"])
def address_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """The same form, filled with the entry; saving changes the book, never orders already made."""
    address = get_object_or_404(Address.objects.filter(owner=request.user), pk=pk)
    if request.method == "GET":
        return _page(
            request,
            forms.AddressForm(initial={f: getattr(address, f) for f in (*services.FIELDS, "is_default")}),
            address,
        )
    form = forms.AddressForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return _page(request, form, address)
    outcome = service_call(
        request,
        lambda: services.address_update(address=address, actor=request.user, data=form.cleaned_data),
        success=_("Address saved."),
    )
    if not outcome.ok:
        return _page(request, form, address)
    return redirect("frontend:addresses")


@signed_in
@require_POST
def address_default(request: SignedInRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(Address.objects.filter(owner=request.user), pk=pk)
    service_call(
        request,
        lambda: services.address_set_default(address=address, actor=request.user),
        success=_("Default address changed."),
    )
    return redirect("frontend:addresses")


@signed_in
@require_POST
def address_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(Address.objects.filter(owner=request.user), pk=pk)
    service_call(
        request,
        lambda: services.address_delete(address=address, actor=request.user),
        success=_("Address removed. Orders already made keep the address they were made with."),
    )
    return redirect("frontend:addresses")
