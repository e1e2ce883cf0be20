from django.urls import path

from . import api

urlpatterns = [
    path("buyers/", api.BuyerListCreateApi.as_view(), name="buyer-list"),
    path("buyers/<int:pk>/", api.BuyerDetailApi.as_view(), name="buyer-detail"),
]
