from django.shortcuts import render

from factories.selectors import category_list, product_visible_to


def home(request):
    products = product_visible_to(request.user if request.user.is_authenticated else None)[:24]
    categories = [c for c in category_list() if c.parent_id is None]
    return render(request, "frontend/home.html", {"products": products, "categories": categories})
