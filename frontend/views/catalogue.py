"""Public catalogue pages. They show only what anyone may see (active products of verified
factories), whoever is signed in: owners and staff preview their rows in the admin and the API."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from factories.models import Factory, Product
from marketplace.money import half_price, to_fen

from .. import public


@require_GET
def home(request):
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


@require_GET
def product_detail(request, pk: int):
    try:
        product = public.product_page(pk)
    except Product.DoesNotExist:
        raise Http404 from None
    # The product's own rule (listing flag AND the factory taking trials), and the money helper
    # every trial price comes from: the page shows the price the trial service will charge.
    trial_price = half_price(product.factory_price) if product.open_for_trials else None
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
        },
    )


@require_GET
def factory_detail(request, pk: int):
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
