"""Public catalogue pages. They show only what anyone may see (active products of verified
factories), whoever is signed in: owners and staff preview their rows in the admin and the API."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from factories.selectors import (
    category_list,
    category_with_descendants,
    factory_visible_to,
    product_visible_to,
)
from marketplace.money import half_price, to_fen

PAGE_SIZE = 24


def _public_products():
    return product_visible_to(None).select_related("factory__industrial_belt", "category__parent")


def home(request):
    categories = [c for c in category_list() if c.parent_id is None]
    products = _public_products()
    current = next((c for c in categories if c.slug == request.GET.get("category")), None)
    if current is not None:
        products = products.filter(category_id__in=category_with_descendants(current.slug))
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/home.html",
        {"page": page, "products": page.object_list, "categories": categories, "current": current},
    )


def product_detail(request, pk: int):
    product = get_object_or_404(_public_products(), pk=pk)
    trial_price = half_price(product.factory_price) if product.trial_eligible else None
    return render(
        request,
        "frontend/product_detail.html",
        {
            "product": product,
            "trial_price": trial_price,
            # The request form's live total counts in fen, so the browser never rounds a float.
            "trial_fen": to_fen(trial_price) if trial_price is not None else None,
            "images": list(product.images.all()),
        },
    )


def factory_detail(request, pk: int):
    factory = get_object_or_404(factory_visible_to(None), pk=pk)
    products = _public_products().filter(factory=factory)
    return render(request, "frontend/factory_detail.html", {"factory": factory, "products": products})
