from django.urls import path

from marketplace.core.public_cache import public_cached

from . import api

urlpatterns = [
    path("search/products/", public_cached(api.ProductSearchApi.as_view()), name="search-products"),
    path("search/factories/", public_cached(api.FactorySearchApi.as_view()), name="search-factories"),
    path("matches/products/", api.ProductMatchApi.as_view(), name="matches-products"),
    path("matches/factories/", api.FactoryMatchApi.as_view(), name="matches-factories"),
    path("matches/buyers/", api.BuyerMatchApi.as_view(), name="matches-buyers"),
]
