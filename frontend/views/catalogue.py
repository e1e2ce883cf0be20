"""Public catalogue pages. They show only what anyone may see (active products of verified
factories), whoever is signed in: owners and staff preview their rows in the admin and the API."""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from factories.models import Factory, Product
from factories.selectors import product_visible_to
from factories.services import product_report_create
from marketplace.core.public_cache import public_page
from marketplace.money import half_price, to_fen

from .. import forms, public
from ..acting import workspace_user
from ..addresses import address_lines
from ..auth import SignedInRequest
from .common import form_refused, service_call, signed_in_as_self


@public_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.GET.get("category"):  # the old home page filtered by category; search does it now
        return redirect(
            f"{reverse('frontend:search')}?{urlencode({'category': request.GET['category'][:64]})}"
        )
    return render(
        request,
        "frontend/home.html",
        {
            "tree": public.category_tree(),
            "belts": public.featured_factories(),
            "products": public.new_listings(),
        },
    )


@public_page
@require_GET
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        product = public.product_page(pk)
    except Product.DoesNotExist:
        raise Http404 from None
    # The product's own rule (listing flag AND the factory taking trials), and the money helper
    # every trial price comes from: the page shows the price the trial service will charge.
    trial_price = half_price(product.factory_price) if product.open_for_trials else None
    shopper = workspace_user(request)
    return render(
        request,
        "frontend/product_detail.html",
        {
            "product": product,
            "factory": product.factory,
            "trial_price": trial_price,
            # The request form's live total counts in fen, so the browser never rounds a float.
            "trial_fen": to_fen(trial_price) if trial_price is not None else None,
            "images": list(product.images.all()),  # prefetched, in the model's order (position, id)
            "report_form": forms.ReportForm(),
            # The trial and sample forms order for the streamer the person acts for, if any.
            "addresses": address_lines(shopper) if shopper.is_authenticated and shopper.is_buyer else [],
        },
    )


@public_page
@require_GET
def factory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        factory = public.factory_page(pk)
    except Factory.DoesNotExist:
        raise Http404 from None
    products = public.factory_products(factory)
    total = (
        len(products) if len(products) < public.FACTORY_PRODUCTS else public.factory_product_count(factory)
    )
    return render(
        request,
        "frontend/factory_detail.html",
        {"factory": factory, "products": products, "product_count": total},
    )


@signed_in_as_self
@require_POST
def product_report(request: SignedInRequest, pk: int) -> HttpResponse:
    """Report a listing from its page: the staff moderation queue (one open report per person)."""
    product = get_object_or_404(product_visible_to(None), pk=pk)
    form = forms.ReportForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return redirect("frontend:product", pk=pk)
    service_call(
        request,
        lambda: product_report_create(product=product, reporter=request.user, **form.cleaned_data),
        success=_("Thank you: staff will look at this listing."),
    )
    return redirect(reverse("frontend:product", args=[pk]) + "#report")
